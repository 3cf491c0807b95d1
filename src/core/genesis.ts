/**
 * Genesis: the chain config, the initial accounts (alloc) and the initial committee of BLS public keys
 * per shard, in a JSON file format; and the genesis header of a shard once its state root is known
 * (the state layer builds the state from `alloc`).
 */
import { asBytes, bigintToBytes, keccak256, rlpEncode } from "./_codec.ts";
import { type ChainConfig, DEV_CHAIN_CONFIG, TOKEN, chainConfigFromJSON } from "./chainConfig.ts";
import { DEV_ACCOUNTS } from "./devAccounts.ts";
import { type Header, createHeader } from "./header.ts";
import { encodeShardState, shardStateFromGenesisCommittees } from "./shardState.ts";

/** Length of a BLS12-381 public key (G1, compressed). */
export const BLS_PUBLIC_KEY_BYTES = 48;

/** An initial account. Storage keys and values are 32 bytes. */
export interface GenesisAccount {
  balance: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  storage?: [Uint8Array, Uint8Array][];
}

/**
 * A validator staked from block 0 (DESIGN §Staking): its self-stake is minted into the stake (not taken
 * from an alloc balance). Rates with 1e18 = 100%.
 */
export interface GenesisValidator {
  address: Uint8Array;
  blsKeys: Uint8Array[];
  stake: bigint;
  commissionRate: bigint;
  maxCommissionRate: bigint;
  maxChangeRate: bigint;
  minSelfDelegation: bigint;
  maxTotalDelegation: bigint;
  name: string;
}

/** Everything a genesis fixes. The same alloc applies to every shard (DESIGN §4). */
export interface GenesisSpec {
  config: ChainConfig;
  /** Seconds. */
  timestamp: bigint;
  extraData: Uint8Array;
  /** Address (20 bytes) and account, in file order. */
  alloc: [Uint8Array, GenesisAccount][];
  /** committees[shardId] = BLS public keys (48 bytes) of the shard's genesis committee. */
  committees: Uint8Array[][];
  /** Validators staked at genesis (their keys give the committees' slots an owner and a stake). */
  validators?: GenesisValidator[];
}

/** Each dev account's genesis balance: 1,000,000 tokens (1e24 wei). */
export const DEV_ACCOUNT_BALANCE = 1_000_000n * TOKEN;

/** Options of {@link createDevGenesis}. */
export interface DevGenesisOptions {
  config?: ChainConfig;
  /** Genesis committee of each shard (default: none; the `--dev` node passes its own key). */
  committees?: Uint8Array[][];
  timestamp?: bigint;
}

/** The `--dev` genesis: dev config, the ten development accounts with 1,000,000 tokens each. */
export function createDevGenesis(opts: DevGenesisOptions = {}): GenesisSpec {
  const config = opts.config ?? DEV_CHAIN_CONFIG;
  return {
    config,
    timestamp: opts.timestamp ?? 0n,
    extraData: new TextEncoder().encode("harmony-ts dev"),
    alloc: DEV_ACCOUNTS.map((a) => [hexBytes(a.address, 20, "address"), { balance: DEV_ACCOUNT_BALANCE }]),
    committees: opts.committees ?? Array.from({ length: config.shardCount }, () => []),
  };
}

/** The shard-state payload of a genesis header: epoch 0's committees of plain keys (see shardState.ts). */
export function encodeGenesisShardState(committees: readonly Uint8Array[][]): Uint8Array {
  return encodeShardState(shardStateFromGenesisCommittees(committees));
}

/**
 * A fingerprint of everything in a genesis spec (config, time, extra data, committees, alloc), cheap
 * next to building its state: a store remembers it to recognise its genesis without rebuilding.
 */
export function genesisFingerprint(spec: GenesisSpec): Uint8Array {
  const alloc = spec.alloc.map(([addr, a]) => [
    addr,
    bigintToBytes(a.balance),
    bigintToBytes(a.nonce ?? 0n),
    a.code ?? new Uint8Array(0),
    (a.storage ?? []).map(([k, v]) => [k, v]),
  ]);
  const validators = (spec.validators ?? []).map((v) => [
    v.address,
    [...v.blsKeys],
    ...[v.stake, v.commissionRate, v.maxCommissionRate, v.maxChangeRate, v.minSelfDelegation, v.maxTotalDelegation].map(bigintToBytes),
    new TextEncoder().encode(v.name),
  ]);
  return keccak256(rlpEncode([chainConfigHash(spec.config), bigintToBytes(spec.timestamp), spec.extraData, spec.committees.map((c) => [...c]), alloc, validators]));
}

/** keccak256 of the chain config's JSON: the genesis header's mixHash commits to the config. */
export function chainConfigHash(config: ChainConfig): Uint8Array {
  return keccak256(new TextEncoder().encode(JSON.stringify(config.toJSON())));
}

/**
 * The genesis header of `shardId` given the root of the state built from `spec.alloc`. Its mixHash is
 * {@link chainConfigHash}, so two chains with different configs never share a genesis hash.
 * @throws {RangeError} when the shard does not exist.
 */
export function createGenesisHeader(spec: GenesisSpec, shardId: number, stateRoot: Uint8Array, shardState?: Uint8Array): Header {
  spec.config.chainId(shardId);
  return createHeader({
    number: 0n,
    shardId,
    epoch: 0n,
    timestamp: spec.timestamp,
    gasLimit: spec.config.blockGasLimit,
    baseFeePerGas: spec.config.baseFee(0n),
    extraData: spec.extraData,
    stateRoot,
    mixHash: chainConfigHash(spec.config),
    shardState: shardState ?? encodeGenesisShardState(spec.committees),
  });
}

function hexBytes(s: unknown, len: number | undefined, what: string): Uint8Array {
  if (typeof s !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(s)) throw new TypeError(`genesis: ${what} must be 0x-prefixed even-length hex`);
  const b = new Uint8Array((s.length - 2) / 2);
  for (let i = 0; i < b.length; i++) b[i] = Number.parseInt(s.slice(2 + 2 * i, 4 + 2 * i), 16);
  return len === undefined ? b : asLen(b, len, what);
}

function asLen(b: Uint8Array, len: number, what: string): Uint8Array {
  try {
    return asBytes(b, what, len);
  } catch {
    throw new RangeError(`genesis: ${what} must be ${len} bytes, got ${b.length}`);
  }
}

function quantity(v: unknown, what: string): bigint {
  if (typeof v === "string" && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) return BigInt(v);
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new TypeError(`genesis: ${what} must be a non-negative integer (number, decimal or 0x string)`);
}

function hex(b: Uint8Array): string {
  let s = "0x";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/**
 * Parse a genesis JSON document: `{config, timestamp, extraData, alloc: {addr: {balance, nonce?,
 * code?, storage?}}, committees: [[blsKeyHex…] per shard], validators?: [{address, blsKeys, stake, commissionRate,
 * maxCommissionRate, maxChangeRate, minSelfDelegation, maxTotalDelegation, name}]}` (amounts in wei, rates 1e18 = 100%).
 * @throws {TypeError|RangeError} on a malformed field.
 */
export function parseGenesisJSON(json: unknown): GenesisSpec {
  if (typeof json !== "object" || json === null) throw new TypeError("genesis: expected an object");
  const j = json as Record<string, unknown>;
  const config = chainConfigFromJSON(j.config ?? {});
  const allocJ = (j.alloc ?? {}) as Record<string, Record<string, unknown>>;
  if (typeof allocJ !== "object") throw new TypeError("genesis: alloc must be an object");
  const alloc: [Uint8Array, GenesisAccount][] = Object.entries(allocJ).map(([addr, a]) => {
    const acct: GenesisAccount = { balance: quantity(a.balance ?? "0", `alloc ${addr} balance`) };
    if (a.nonce !== undefined) acct.nonce = quantity(a.nonce, `alloc ${addr} nonce`);
    if (a.code !== undefined) acct.code = hexBytes(a.code, undefined, `alloc ${addr} code`);
    if (a.storage !== undefined) {
      acct.storage = Object.entries(a.storage as Record<string, string>).map(([k, v]) => [hexBytes(k, 32, "storage key"), hexBytes(v, 32, "storage value")]);
    }
    return [hexBytes(addr, 20, "alloc address"), acct];
  });
  const cj = (j.committees ?? []) as unknown[];
  if (!Array.isArray(cj)) throw new TypeError("genesis: committees must be an array per shard");
  const committees = Array.from({ length: config.shardCount }, (_, s) => {
    const keys = (cj[s] ?? []) as unknown[];
    if (!Array.isArray(keys)) throw new TypeError(`genesis: committees[${s}] must be an array`);
    return keys.map((k) => hexBytes(k, BLS_PUBLIC_KEY_BYTES, `committees[${s}] key`));
  });
  const vj = j.validators ?? [];
  if (!Array.isArray(vj)) throw new TypeError("genesis: validators must be an array");
  const validators = vj.map((raw, i) => parseGenesisValidator(raw, i));
  return {
    config,
    timestamp: quantity(j.timestamp ?? 0, "timestamp"),
    extraData: j.extraData === undefined ? new Uint8Array(0) : hexBytes(j.extraData, undefined, "extraData"),
    alloc,
    committees,
    ...(validators.length > 0 ? { validators } : {}),
  };
}

function parseGenesisValidator(raw: unknown, i: number): GenesisValidator {
  if (typeof raw !== "object" || raw === null) throw new TypeError(`genesis: validators[${i}] must be an object`);
  const v = raw as Record<string, unknown>;
  const keys = v.blsKeys;
  if (!Array.isArray(keys) || keys.length === 0) throw new TypeError(`genesis: validators[${i}].blsKeys must be a non-empty array`);
  const q = (k: string) => quantity(v[k], `validators[${i}].${k}`);
  if (v.name !== undefined && typeof v.name !== "string") throw new TypeError(`genesis: validators[${i}].name must be a string`);
  return {
    address: hexBytes(v.address, 20, `validators[${i}].address`),
    blsKeys: keys.map((k) => hexBytes(k, BLS_PUBLIC_KEY_BYTES, `validators[${i}] key`)),
    stake: q("stake"),
    commissionRate: q("commissionRate"),
    maxCommissionRate: q("maxCommissionRate"),
    maxChangeRate: q("maxChangeRate"),
    minSelfDelegation: q("minSelfDelegation"),
    maxTotalDelegation: q("maxTotalDelegation"),
    name: typeof v.name === "string" ? v.name : "",
  };
}

/** The JSON document of a genesis (inverse of {@link parseGenesisJSON}). */
export function genesisToJSON(spec: GenesisSpec): Record<string, unknown> {
  const alloc: Record<string, unknown> = {};
  for (const [addr, a] of spec.alloc) {
    const o: Record<string, unknown> = { balance: `0x${a.balance.toString(16)}` };
    if (a.nonce !== undefined) o.nonce = `0x${a.nonce.toString(16)}`;
    if (a.code !== undefined) o.code = hex(a.code);
    if (a.storage !== undefined) o.storage = Object.fromEntries(a.storage.map(([k, v]) => [hex(k), hex(v)]));
    alloc[hex(addr)] = o;
  }
  return {
    config: spec.config.toJSON(),
    timestamp: `0x${spec.timestamp.toString(16)}`,
    extraData: hex(spec.extraData),
    alloc,
    committees: spec.committees.map((keys) => keys.map(hex)),
    ...(spec.validators && spec.validators.length > 0
      ? {
          validators: spec.validators.map((v) => ({
            address: hex(v.address),
            blsKeys: v.blsKeys.map(hex),
            stake: v.stake.toString(),
            commissionRate: v.commissionRate.toString(),
            maxCommissionRate: v.maxCommissionRate.toString(),
            maxChangeRate: v.maxChangeRate.toString(),
            minSelfDelegation: v.minSelfDelegation.toString(),
            maxTotalDelegation: v.maxTotalDelegation.toString(),
            name: v.name,
          })),
        }
      : {}),
  };
}
