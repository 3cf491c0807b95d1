/**
 * The cross-shard system contract's interface (DESIGN §Sharding), at Harmony's cross-shard address
 * 0x…f9. `CX_ABI` is standard JSON ABI, so wallets and libraries can encode the call; the node decodes
 * calldata with the same table. Each transfer also logs `CrossShardTransfer`, which is how execution
 * learns of it: a log is dropped by the EVM when an enclosing call reverts, and so is the transfer.
 * @module
 */
import { keccak256 } from "../core/index.ts";
import { type AbiType, abiTypeOf, functionSelector, functionSignature } from "../staking/index.ts";
import { hexToBytes } from "../util/index.ts";

/** Address of the cross-shard system contract. */
export const CX_CONTRACT_ADDRESS = "0x00000000000000000000000000000000000000f9";

/** {@link CX_CONTRACT_ADDRESS} as bytes. */
export const CX_ADDRESS_BYTES: Uint8Array = hexToBytes(CX_CONTRACT_ADDRESS);

/** JSON ABI of the cross-shard contract. */
export const CX_ABI = [
  {
    type: "function",
    name: "crossShardTransfer",
    stateMutability: "payable",
    inputs: [
      { name: "amount", type: "uint256" },
      { name: "to", type: "address" },
      { name: "toShardID", type: "uint32" },
    ],
    outputs: [],
  },
  {
    type: "event",
    name: "CrossShardTransfer",
    anonymous: false,
    inputs: [
      { name: "from", type: "address", indexed: true },
      { name: "to", type: "address", indexed: true },
      { name: "toShardID", type: "uint32", indexed: true },
      { name: "amount", type: "uint256", indexed: false },
    ],
  },
] as const;

const TRANSFER = CX_ABI[0];

/** Selector of `crossShardTransfer(uint256,address,uint32)`. */
export const CX_TRANSFER_SELECTOR: number = functionSelector(functionSignature(TRANSFER));

/** Decoder types of `crossShardTransfer`'s arguments. */
export const CX_TRANSFER_INPUTS: readonly AbiType[] = TRANSFER.inputs.map(abiTypeOf);

/** topic0 of `CrossShardTransfer(address,address,uint32,uint256)`. */
export const CX_TRANSFER_TOPIC: Uint8Array = keccak256(new TextEncoder().encode("CrossShardTransfer(address,address,uint32,uint256)"));

/** Gas of a `crossShardTransfer` call, charged whatever its outcome (a few storage-sized writes). */
export const CX_TRANSFER_GAS = 30_000n;
