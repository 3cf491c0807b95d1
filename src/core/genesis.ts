/**
 * Genesis: the chain config, the initial accounts of each shard (alloc) and the initial committee of
 * BLS public keys per shard (its JSON file format is genesisJSON.ts); and the genesis header of a
 * shard once its state root is known (the state layer builds the state from the shard's alloc).
 * @module
 */
import { type RLPInput, bigintToBytes, keccak256, rlpEncode } from "./_codec.ts";
import { type ChainConfig, DEV_CHAIN_CONFIG, TOKEN } from "./chainConfig.ts";
import { DEV_ACCOUNTS } from "./devAccounts.ts";
import { type Header, createHeader } from "./header.ts";
import { encodeShardState, shardStateFromGenesisCommittees } from "./shardState.ts";
import { isBeacon } from "./beacon.ts";

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

/** Initial accounts: address (20 bytes) and account, in file order. */
export type GenesisAlloc = [Uint8Array, GenesisAccount][];

/** Everything a genesis fixes. */
export interface GenesisSpec {
  config: ChainConfig;
  /** Seconds. */
  timestamp: bigint;
  extraData: Uint8Array;
  /** The beacon shard's (shard 0) alloc; every shard's when {@link GenesisSpec.shardAllocs} is absent. */
  alloc: GenesisAlloc;
  /**
   * Each shard's alloc, indexed by shard id (issue 10: an address holds a separate balance per shard):
   * one per shard of the config, `[0]` the same accounts as `alloc`. See {@link genesisAllocOf}.
   */
  shardAllocs?: GenesisAlloc[];
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

/**
 * The `--dev` and devnet genesis: dev config, the ten development accounts with 1,000,000 tokens each
 * on every shard (DESIGN §4) — with several shards, an explicit alloc per shard.
 */
export function createDevGenesis(opts: DevGenesisOptions = {}): GenesisSpec {
  const config = opts.config ?? DEV_CHAIN_CONFIG;
  const devAlloc = (): GenesisAlloc => DEV_ACCOUNTS.map((a) => [addressBytes(a.address), { balance: DEV_ACCOUNT_BALANCE }]);
  const alloc = devAlloc();
  return {
    config,
    timestamp: opts.timestamp ?? 0n,
    extraData: new TextEncoder().encode("harmony-ts dev"),
    alloc,
    // One shard keeps no shardAllocs, so its genesis (and a store's fingerprint of it) is unchanged.
    ...(config.shardCount > 1 ? { shardAllocs: [alloc, ...Array.from({ length: config.shardCount - 1 }, devAlloc)] } : {}),
    committees: opts.committees ?? Array.from({ length: config.shardCount }, () => []),
  };
}

/**
 * The alloc of `shardId`: `spec.alloc` for the beacon shard, else the shard's entry of
 * `spec.shardAllocs`, or `spec.alloc` when the spec has none (one alloc on every shard).
 * @throws {RangeError} when the shard does not exist, or `shardAllocs` does not list one alloc per shard.
 */
export function genesisAllocOf(spec: GenesisSpec, shardId: number): GenesisAlloc {
  spec.config.chainId(shardId);
  if (spec.shardAllocs === undefined || isBeacon(shardId)) return spec.alloc;
  if (spec.shardAllocs.length !== spec.config.shardCount) {
    throw new RangeError(`genesis: shardAllocs lists ${spec.shardAllocs.length} allocs for ${spec.config.shardCount} shards`);
  }
  return spec.shardAllocs[shardId] as GenesisAlloc;
}

/** The RLP items of an alloc (the fingerprint's, and genesisJSON's comparison of `alloc` with `shardAllocs[0]`). */
export function encodeGenesisAlloc(alloc: GenesisAlloc): Uint8Array {
  return rlpEncode(allocItems(alloc));
}

function allocItems(alloc: GenesisAlloc): RLPInput[] {
  return alloc.map(([addr, a]) => [addr, bigintToBytes(a.balance), bigintToBytes(a.nonce ?? 0n), a.code ?? new Uint8Array(0), (a.storage ?? []).map(([k, v]) => [k, v])]);
}

function addressBytes(s: string): Uint8Array {
  const b = new Uint8Array(20);
  for (let i = 0; i < 20; i++) b[i] = Number.parseInt(s.slice(2 + 2 * i, 4 + 2 * i), 16);
  return b;
}

/** The shard-state payload of a genesis header: epoch 0's committees of plain keys (see shardState.ts). */
export function encodeGenesisShardState(committees: readonly Uint8Array[][]): Uint8Array {
  return encodeShardState(shardStateFromGenesisCommittees(committees));
}

/**
 * A fingerprint of everything in a genesis spec (config, time, extra data, committees, allocs), cheap
 * next to building its state: a store remembers it to recognise its genesis without rebuilding.
 */
export function genesisFingerprint(spec: GenesisSpec): Uint8Array {
  const alloc = allocItems(spec.alloc);
  // Appended only when present: a spec without shardAllocs keeps the fingerprint it always had.
  const shardAllocs = spec.shardAllocs === undefined ? [] : [spec.shardAllocs.map(allocItems)];
  const validators = (spec.validators ?? []).map((v) => [
    v.address,
    [...v.blsKeys],
    ...[v.stake, v.commissionRate, v.maxCommissionRate, v.maxChangeRate, v.minSelfDelegation, v.maxTotalDelegation].map(bigintToBytes),
    new TextEncoder().encode(v.name),
  ]);
  return keccak256(rlpEncode([chainConfigHash(spec.config), bigintToBytes(spec.timestamp), spec.extraData, spec.committees.map((c) => [...c]), alloc, validators, ...shardAllocs]));
}

/** keccak256 of the chain config's JSON: the genesis header's mixHash commits to the config. */
export function chainConfigHash(config: ChainConfig): Uint8Array {
  return keccak256(new TextEncoder().encode(JSON.stringify(config.toJSON())));
}

/**
 * The genesis header of `shardId` given the root of the state built from its alloc. Its mixHash is
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

