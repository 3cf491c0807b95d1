/**
 * The staking system contract's interface (DESIGN §Staking), at Harmony's staking precompile address
 * 0x…fc. `STAKING_ABI` is standard JSON ABI, so any wallet or library (viem, ethers, web3) can call it;
 * the node decodes calldata with the same table. Amounts in wei; rates with 1e18 = 100%.
 * `Delegate`, `Undelegate` and `CollectRewards` keep Harmony's selectors (capitalized names with the
 * delegator as first argument, which must equal msg.sender).
 * @module
 */
import { keccak256 } from "../crypto/index.ts";
import type { AbiType } from "./abiCodec.ts";

/** Address of the staking system contract. */
export const STAKING_CONTRACT_ADDRESS = "0x00000000000000000000000000000000000000fc";

const DESCRIPTION = {
  name: "description",
  type: "tuple",
  components: [
    { name: "name", type: "string" },
    { name: "identity", type: "string" },
    { name: "website", type: "string" },
    { name: "securityContact", type: "string" },
    { name: "details", type: "string" },
  ],
} as const;

const DELEGATION_INPUTS = [
  { name: "delegatorAddress", type: "address" },
  { name: "validatorAddress", type: "address" },
  { name: "amount", type: "uint256" },
] as const;

/** JSON ABI of the staking contract. */
export const STAKING_ABI = [
  {
    type: "function",
    name: "createValidator",
    stateMutability: "payable",
    inputs: [
      DESCRIPTION,
      {
        name: "commissionRates",
        type: "tuple",
        components: [
          { name: "rate", type: "uint256" },
          { name: "maxRate", type: "uint256" },
          { name: "maxChangeRate", type: "uint256" },
        ],
      },
      { name: "minSelfDelegation", type: "uint256" },
      { name: "maxTotalDelegation", type: "uint256" },
      { name: "blsPublicKeys", type: "bytes[]" },
      { name: "blsKeySigs", type: "bytes[]" },
    ],
    outputs: [],
  },
  {
    // Unchanged fields: empty strings in the description, type(uint256).max for the numbers, empty
    // bytes for the keys, status 0 (1 = active, 2 = inactive).
    type: "function",
    name: "editValidator",
    stateMutability: "nonpayable",
    inputs: [
      DESCRIPTION,
      { name: "commissionRate", type: "uint256" },
      { name: "minSelfDelegation", type: "uint256" },
      { name: "maxTotalDelegation", type: "uint256" },
      { name: "slotKeyToRemove", type: "bytes" },
      { name: "slotKeyToAdd", type: "bytes" },
      { name: "slotKeyToAddSig", type: "bytes" },
      { name: "status", type: "uint8" },
    ],
    outputs: [],
  },
  { type: "function", name: "Delegate", stateMutability: "nonpayable", inputs: DELEGATION_INPUTS, outputs: [] },
  { type: "function", name: "Undelegate", stateMutability: "nonpayable", inputs: DELEGATION_INPUTS, outputs: [] },
  {
    type: "function",
    name: "CollectRewards",
    stateMutability: "nonpayable",
    inputs: [{ name: "delegatorAddress", type: "address" }],
    outputs: [],
  },
  {
    type: "function",
    name: "setAutoCompound",
    stateMutability: "nonpayable",
    inputs: [
      { name: "validatorAddress", type: "address" },
      { name: "enabled", type: "bool" },
    ],
    outputs: [],
  },
  // Anyone may prove double signing; the argument is a DoubleSignRecord's RLP (doubleSignRecord.ts).
  { type: "function", name: "reportDoubleSign", stateMutability: "nonpayable", inputs: [{ name: "evidence", type: "bytes" }], outputs: [] },
] as const;

/** Names of the staking contract's functions. */
export type StakingFunctionName = (typeof STAKING_ABI)[number]["name"];

interface JsonParam {
  readonly type: string;
  readonly components?: readonly JsonParam[];
}

/**
 * The codec type of a JSON ABI parameter.
 * @throws {TypeError} on a type this codec does not know.
 */
export function abiTypeOf(p: JsonParam): AbiType {
  if (p.type.endsWith("[]")) return { kind: "array", of: abiTypeOf({ ...p, type: p.type.slice(0, -2) }) };
  if (p.type === "tuple") return { kind: "tuple", of: (p.components ?? []).map(abiTypeOf) };
  if (p.type === "address" || p.type === "bool" || p.type === "bytes" || p.type === "string") return { kind: p.type };
  const m = /^uint(\d+)$/.exec(p.type);
  if (m) return { kind: "uint", bits: Number(m[1]) };
  throw new TypeError(`unsupported ABI type ${p.type}`);
}

function canonicalType(p: JsonParam): string {
  if (p.type.startsWith("tuple")) return `(${(p.components ?? []).map(canonicalType).join(",")})${p.type.slice(5)}`;
  return p.type;
}

/** `name(type,…)` as selectors hash it. */
export function functionSignature(f: { readonly name: string; readonly inputs: readonly JsonParam[] }): string {
  return `${f.name}(${f.inputs.map(canonicalType).join(",")})`;
}

/** First 4 bytes of keccak256 of the signature, as a number. */
export function functionSelector(signature: string): number {
  const h = keccak256(new TextEncoder().encode(signature));
  return (((h[0] as number) << 24) | ((h[1] as number) << 16) | ((h[2] as number) << 8) | (h[3] as number)) >>> 0;
}

/** A function of the staking contract, ready to decode. */
export interface StakingFunction {
  readonly name: StakingFunctionName;
  readonly selector: number;
  readonly inputs: readonly AbiType[];
  readonly payable: boolean;
}

/** The staking functions by selector. */
export const STAKING_FUNCTIONS: ReadonlyMap<number, StakingFunction> = new Map(
  STAKING_ABI.map((f) => {
    const selector = functionSelector(functionSignature(f));
    return [selector, { name: f.name, selector, inputs: f.inputs.map(abiTypeOf), payable: f.stateMutability === "payable" }];
  }),
);
