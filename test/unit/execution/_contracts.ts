// Test contracts compiled from Solidity source with solc (npm), once per process.
import solc from "solc";
import { type Abi, decodeErrorResult, decodeFunctionResult, encodeDeployData, encodeFunctionData } from "viem";

/** A token and a helper contract (revert reasons, events, storage refunds, self-destruct). */
export const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Token {
    string public name = "Test Token";
    string public symbol = "TT";
    uint8 public decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(uint256 supply) {
        totalSupply = supply;
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "insufficient balance");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        require(allowance[from][msg.sender] >= value, "allowance");
        require(balanceOf[from] >= value, "insufficient balance");
        allowance[from][msg.sender] -= value;
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
        return true;
    }
}

contract Helper {
    uint256 public counter;
    mapping(uint256 => uint256) public slots;

    function bump() external { counter += 1; }
    function fail(string calldata reason) external pure { revert(reason); }
    function fill(uint256 n) external { for (uint256 i = 0; i < n; i++) slots[i] = i + 1; }
    function clear(uint256 n) external { for (uint256 i = 0; i < n; i++) delete slots[i]; }
    function spin() external view returns (uint256 x) { while (true) { x += block.number; } }
    function blockInfo() external view returns (uint256, uint256, uint256, uint256, bytes32) {
        return (block.number, block.timestamp, block.basefee, block.chainid, blockhash(block.number - 1));
    }
}
`;

export interface Compiled {
  abi: Abi;
  bytecode: Uint8Array;
}

let cached: Record<string, Compiled> | undefined;

/** Compile {@link SOURCE} (optimizer on, EVM version cancun). */
export function compileContracts(): { Token: Compiled; Helper: Compiled } {
  if (cached) return cached as { Token: Compiled; Helper: Compiled };
  const input = {
    language: "Solidity",
    sources: { "t.sol": { content: SOURCE } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join("\n"));
  cached = {};
  for (const [name, c] of Object.entries(out.contracts["t.sol"] as Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>)) {
    cached[name] = { abi: c.abi as Abi, bytecode: new Uint8Array(Buffer.from(c.evm.bytecode.object, "hex")) };
  }
  return cached as { Token: Compiled; Helper: Compiled };
}

/** ABI-encoded call data of `fn(args)` (viem). */
export function encodeCall(c: Compiled, fn: string, args: readonly unknown[] = []): Uint8Array {
  return fromHex(encodeFunctionData({ abi: c.abi as Abi, functionName: fn, args } as Parameters<typeof encodeFunctionData>[0]));
}

/** Decode the return data of `fn`. */
export function decodeCall(c: Compiled, fn: string, data: Uint8Array): unknown {
  return decodeFunctionResult({ abi: c.abi as Abi, functionName: fn, data: toHex(data) } as Parameters<typeof decodeFunctionResult>[0]);
}

/** Creation data: bytecode ‖ ABI-encoded constructor args. */
export function deployData(c: Compiled, args: readonly unknown[] = []): Uint8Array {
  return fromHex(encodeDeployData({ abi: c.abi as Abi, bytecode: toHex(c.bytecode), args } as Parameters<typeof encodeDeployData>[0]));
}

/** The reason string of an `Error(string)` revert. */
export function revertReason(data: Uint8Array): unknown {
  return decodeErrorResult({ abi: [], data: toHex(data) }).args?.[0];
}

function toHex(b: Uint8Array): `0x${string}` {
  return `0x${Buffer.from(b).toString("hex")}`;
}

function fromHex(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.slice(2), "hex"));
}
