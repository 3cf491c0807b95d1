// Contracts for the tracer tests, compiled from Solidity source with solc (npm), once per process.
import solc from "solc";
import type { Abi } from "viem";
import type { Compiled } from "./_contracts.ts";

/** A caller that CALLs, STATICCALLs, DELEGATECALLs and CREATEs a callee, which can revert with a reason. */
export const TRACE_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Callee {
    uint256 public x;
    event Set(uint256 v);
    function boom() external pure { revert("callee says no"); }
    function get() external view returns (uint256) { return x; }
    function set(uint256 v) external { x = v; emit Set(v); }
}

contract Caller {
    uint256 public stored;
    Callee public callee;
    constructor() { callee = new Callee(); }
    function run() external returns (uint256 r) {
        callee.set(7);
        r = callee.get();
        (bool ok, ) = address(callee).delegatecall(abi.encodeWithSignature("set(uint256)", 9));
        require(ok, "delegatecall failed");
        try callee.boom() {} catch {}
        Callee c2 = new Callee();
        stored = r + uint256(uint160(address(c2)));
    }
    function fail() external { callee.boom(); }
}
`;

let cached: { Caller: Compiled; Callee: Compiled } | undefined;

/** Compile {@link TRACE_SOURCE} (optimizer on, EVM version cancun). */
export function compileTraceContracts(): { Caller: Compiled; Callee: Compiled } {
  if (cached) return cached;
  const input = {
    language: "Solidity",
    sources: { "trace.sol": { content: TRACE_SOURCE } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join("\n"));
  const get = (name: string): Compiled => {
    const c = out.contracts["trace.sol"][name] as { abi: unknown[]; evm: { bytecode: { object: string } } };
    return { abi: c.abi as Abi, bytecode: new Uint8Array(Buffer.from(c.evm.bytecode.object, "hex")) };
  };
  cached = { Caller: get("Caller"), Callee: get("Callee") };
  return cached;
}

/** Runtime code that stores 0x2a in slot 0, loads it back and returns it as one word. */
export const TINY_RUNTIME = Uint8Array.from([0x60, 0x2a, 0x60, 0x00, 0x55, 0x60, 0x00, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);

/** Init code that deploys {@link TINY_RUNTIME}: CODECOPY it from offset 12 and RETURN it. */
export const TINY_INIT = Uint8Array.from([0x60, 0x10, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, 0x10, 0x60, 0x00, 0xf3, ...TINY_RUNTIME]);

/** The opcodes of one run of {@link TINY_RUNTIME}, in order. */
export const TINY_OPS = ["PUSH1", "PUSH1", "SSTORE", "PUSH1", "SLOAD", "PUSH1", "MSTORE", "PUSH1", "PUSH1", "RETURN"];
