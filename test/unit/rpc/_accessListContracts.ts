// Contracts for the eth_createAccessList tests, compiled from Solidity source with solc (npm), once per process.
import solc from "solc";
import type { Abi } from "viem";
import { keccak256 } from "../../../src/crypto/hash.ts";
import type { Compiled } from "../execution/_contracts.ts";

/**
 * A Reader that reads and writes its own storage and calls a Store, which writes a plain slot and a
 * mapping slot keyed by the caller, and hashes with the sha256 precompile.
 */
export const ACCESS_LIST_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Store {
    uint256 public a;
    mapping(address => uint256) public m;
    function put(uint256 v) external { a = v; m[msg.sender] = v; }
    function get() external view returns (uint256) { return a + uint256(sha256(abi.encode(a))) % 2; }
}

contract Reader {
    Store public s;
    uint256 public last;
    constructor(Store _s) { s = _s; }
    function pull(uint256 v) external returns (uint256) { s.put(v); last = s.get(); return last; }
    function fail() external { s.put(1); revert("reader says no"); }
}
`;

let cached: { Store: Compiled; Reader: Compiled } | undefined;

/** Compile {@link ACCESS_LIST_SOURCE} (optimizer on, EVM version cancun). */
export function compileAccessListContracts(): { Store: Compiled; Reader: Compiled } {
  if (cached) return cached;
  const input = {
    language: "Solidity",
    sources: { "al.sol": { content: ACCESS_LIST_SOURCE } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join("\n"));
  const get = (name: string): Compiled => {
    const c = out.contracts["al.sol"][name] as { abi: unknown[]; evm: { bytecode: { object: string } } };
    return { abi: c.abi as Abi, bytecode: new Uint8Array(Buffer.from(c.evm.bytecode.object, "hex")) };
  };
  cached = { Store: get("Store"), Reader: get("Reader") };
  return cached;
}

/** `0x` + 64 hex digits of slot `n`. */
export function slotHex(n: bigint): string {
  return `0x${n.toString(16).padStart(64, "0")}`;
}

/** The slot of `m[key]` for a mapping at slot `base` (Solidity's layout: keccak256(pad32(key) ‖ pad32(base))). */
export function mappingSlotHex(key: Uint8Array, base: bigint): string {
  const buf = new Uint8Array(64);
  buf.set(key, 32 - key.length);
  buf[63] = Number(base);
  return `0x${Buffer.from(keccak256(buf)).toString("hex")}`;
}
