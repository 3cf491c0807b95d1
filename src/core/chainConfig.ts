import { isBeacon } from "./beacon.ts";
/**
 * The one typed chain configuration (DESIGN §3): every protocol number lives here, never as a literal
 * in code, and each protocol change switches on at a configured epoch (§Hard forks).
 */

/** Protocol changes that activate at an epoch; `config.isActive(feature, epoch)` asks about one. */
export const FEATURES = ["staking", "crossShard", "crossLinks", "eposV2", "vrf", "vdf", "leaderRotation", "slashing"] as const;
/** One of {@link FEATURES}. */
export type Feature = (typeof FEATURES)[number];

/** One token in wei (18 decimals, as ONE and ETH). */
export const TOKEN = 10n ** 18n;
/** One gwei in wei. */
export const GWEI = 10n ** 9n;

/** Consensus timing (§Consensus). */
export interface ConsensusParams {
  /** Base of the view-change timeout `base · 2^min(k,4)`, ms. */
  viewChangeBaseMs: number;
  /** R: a healthy leader still hands over after max(E / n, R) blocks. */
  leaderRotationMinBlocks: number;
}

/** Staking and reward parameters (§Staking); amounts in wei, rates in basis points. */
export interface StakingParams {
  slotsPerShard: number;
  blockReward: bigint;
  minSelfDelegation: bigint;
  minDelegation: bigint;
  maxKeysPerValidator: number;
  minCommissionBps: number;
  undelegationLockEpochs: number;
  effectiveStakeBandBps: number;
  effectiveStakeBandV2Bps: number;
  slashSelfBps: number;
  slashDelegatorBps: number;
}

/** The plain data of a chain configuration (what a genesis file carries). */
export interface ChainConfigData {
  /** Preset or network name, informational. */
  name: string;
  /** Network id N; the Ethereum chain id of shard s is N + s. */
  networkId: number;
  shardCount: number;
  blockGasLimit: bigint;
  /** Floor of gas price / max fee per gas; also the base fee of every block (all fees are burnt). */
  minGasPrice: bigint;
  /** E: beacon blocks per epoch. */
  epochBlocks: number;
  /** T: target block time in ms. */
  blockTimeMs: number;
  /** Produce blocks with no transactions. */
  produceEmptyBlocks: boolean;
  /** Most incoming cross-shard receipts credited per block. */
  maxIncomingReceiptsPerBlock: number;
  /** P: blocks of state kept by a pruning node. */
  pruneRetainBlocks: number;
  consensus: ConsensusParams;
  staking: StakingParams;
  /** Epoch each feature activates at; `null` = never. */
  activationEpochs: Record<Feature, bigint | null>;
}

/** JSON form of {@link ChainConfigData}: bigints as decimal strings. */
export type ChainConfigJSON = Record<string, unknown>;

/** A validated, frozen chain configuration with the questions code asks of it. */
export class ChainConfig implements ChainConfigData {
  readonly name: string;
  readonly networkId: number;
  readonly shardCount: number;
  readonly blockGasLimit: bigint;
  readonly minGasPrice: bigint;
  readonly epochBlocks: number;
  readonly blockTimeMs: number;
  readonly produceEmptyBlocks: boolean;
  readonly maxIncomingReceiptsPerBlock: number;
  readonly pruneRetainBlocks: number;
  readonly consensus: Readonly<ConsensusParams>;
  readonly staking: Readonly<StakingParams>;
  readonly activationEpochs: Readonly<Record<Feature, bigint | null>>;

  /** @throws {RangeError} when a number is out of range. */
  constructor(data: ChainConfigData) {
    this.name = data.name;
    this.networkId = positiveInt(data.networkId, "networkId", 0);
    this.shardCount = positiveInt(data.shardCount, "shardCount", 1);
    if (data.blockGasLimit < 21000n) throw new RangeError("chain config: blockGasLimit below 21000");
    if (data.minGasPrice < 0n) throw new RangeError("chain config: minGasPrice negative");
    this.blockGasLimit = data.blockGasLimit;
    this.minGasPrice = data.minGasPrice;
    this.epochBlocks = positiveInt(data.epochBlocks, "epochBlocks", 1);
    this.blockTimeMs = positiveInt(data.blockTimeMs, "blockTimeMs", 1);
    this.produceEmptyBlocks = data.produceEmptyBlocks;
    this.maxIncomingReceiptsPerBlock = positiveInt(data.maxIncomingReceiptsPerBlock, "maxIncomingReceiptsPerBlock", 0);
    this.pruneRetainBlocks = positiveInt(data.pruneRetainBlocks, "pruneRetainBlocks", 1);
    this.consensus = Object.freeze({ ...data.consensus });
    this.staking = Object.freeze({ ...data.staking });
    const epochs = {} as Record<Feature, bigint | null>;
    for (const f of FEATURES) {
      const e = data.activationEpochs[f];
      if (e === undefined) throw new RangeError(`chain config: activation epoch of ${f} missing (use null for never)`);
      if (e !== null && e < 0n) throw new RangeError(`chain config: activation epoch of ${f} negative`);
      epochs[f] = e;
    }
    this.activationEpochs = Object.freeze(epochs);
    Object.freeze(this);
  }

  /** True when `feature` is active at `epoch`. */
  isActive(feature: Feature, epoch: bigint): boolean {
    const at = this.activationEpochs[feature];
    return at !== null && epoch >= at;
  }

  /**
   * Ethereum chain id of a shard: networkId + shardId.
   * @throws {RangeError} when the shard does not exist.
   */
  chainId(shardId: number): bigint {
    if (!Number.isInteger(shardId) || shardId < 0 || shardId >= this.shardCount) throw new RangeError(`no shard ${shardId} (shardCount ${this.shardCount})`);
    return BigInt(this.networkId + shardId);
  }

  /** The epoch of a beacon block number (genesis is epoch 0). */
  epochOf(blockNumber: bigint): bigint {
    return blockNumber / BigInt(this.epochBlocks);
  }

  /**
   * The rule for a header's `baseFeePerGas` at `epoch`: the minimum gas price (a fixed base fee, no
   * EIP-1559 adjustment). Producers write it into the header; validators reject a header carrying any
   * other value; everyone else reads the header field, never this.
   */
  baseFee(_epoch: bigint): bigint {
    return this.minGasPrice;
  }

  /**
   * The epoch of the block after `parent`: beacon epochs follow the block number, shard epochs stay at
   * the parent's until the beacon chain moves them on.
   */
  nextEpoch(parent: { number: bigint; epoch: bigint; shardId: number }): bigint {
    return isBeacon(parent.shardId) ? this.epochOf(parent.number + 1n) : parent.epoch;
  }

  /** The `baseFeePerGas` the block after `parent` carries ({@link baseFee} at {@link nextEpoch}). */
  nextBaseFee(parent: { number: bigint; epoch: bigint; shardId: number }): bigint {
    return this.baseFee(this.nextEpoch(parent));
  }

  /** Plain data, e.g. to derive a variant with a spread. */
  toData(): ChainConfigData {
    return { ...this, consensus: { ...this.consensus }, staking: { ...this.staking }, activationEpochs: { ...this.activationEpochs } };
  }

  /** JSON form (bigints as decimal strings). */
  toJSON(): ChainConfigJSON {
    return JSON.parse(JSON.stringify(this.toData(), (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
  }
}

function positiveInt(n: number, field: string, min: number): number {
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`chain config: ${field} must be an integer ≥ ${min}, got ${n}`);
  return n;
}

const ALL_AT_GENESIS = Object.fromEntries(FEATURES.map((f) => [f, 0n])) as Record<Feature, bigint>;

/** *devnet* / `--dev`: network 31337, 1 gwei floor, epochs of 32 blocks, 1 s blocks, everything active at epoch 0. */
export const DEV_CHAIN_CONFIG: ChainConfig = new ChainConfig({
  name: "dev",
  networkId: 31337,
  shardCount: 1,
  blockGasLimit: 30_000_000n,
  minGasPrice: 1n * GWEI,
  epochBlocks: 32,
  blockTimeMs: 1000,
  produceEmptyBlocks: true,
  maxIncomingReceiptsPerBlock: 6000,
  pruneRetainBlocks: 128,
  consensus: { viewChangeBaseMs: 3000, leaderRotationMinBlocks: 4 },
  staking: {
    slotsPerShard: 4,
    blockReward: 7n * TOKEN,
    minSelfDelegation: 100n * TOKEN,
    minDelegation: 1n * TOKEN,
    maxKeysPerValidator: 106,
    minCommissionBps: 700,
    undelegationLockEpochs: 7,
    effectiveStakeBandBps: 1500,
    effectiveStakeBandV2Bps: 3500,
    slashSelfBps: 5000,
    slashDelegatorBps: 8000,
  },
  activationEpochs: ALL_AT_GENESIS,
});

/** *mainnet-like*: the benchmark and scale-test preset (4 shards, 2 s blocks, 32768-block epochs, 100 gwei floor). */
export const MAINNET_LIKE_CHAIN_CONFIG: ChainConfig = new ChainConfig({
  ...DEV_CHAIN_CONFIG.toData(),
  name: "mainnet-like",
  // A local-only id (N + shard ∈ 31400..31403), never the id of a live network (DESIGN §3).
  networkId: 31400,
  shardCount: 4,
  minGasPrice: 100n * GWEI,
  epochBlocks: 32768,
  blockTimeMs: 2000,
  consensus: { viewChangeBaseMs: 6000, leaderRotationMinBlocks: 4 },
  staking: { ...DEV_CHAIN_CONFIG.staking, slotsPerShard: 250, minSelfDelegation: 10_000n * TOKEN, minDelegation: 100n * TOKEN },
});

/** Preset names accepted by `--network`. */
export type ChainConfigPreset = "dev" | "mainnet-like";

/**
 * The preset of that name.
 * @throws {RangeError} on an unknown name.
 */
export function getChainConfigPreset(name: string): ChainConfig {
  if (name === "dev") return DEV_CHAIN_CONFIG;
  if (name === "mainnet-like") return MAINNET_LIKE_CHAIN_CONFIG;
  throw new RangeError(`unknown network preset "${name}" (dev, mainnet-like)`);
}

/**
 * Parse the JSON form (as in a genesis file); missing fields take the `dev` preset's values.
 * @throws {TypeError|RangeError} on a malformed field.
 */
export function chainConfigFromJSON(json: unknown): ChainConfig {
  if (typeof json !== "object" || json === null) throw new TypeError("chain config: expected an object");
  const j = json as Record<string, unknown>;
  const base = DEV_CHAIN_CONFIG.toData();
  const big = (v: unknown, f: string, d: bigint): bigint => (v === undefined ? d : toBig(v, f));
  const num = (v: unknown, f: string, d: number): number => (v === undefined ? d : toNum(v, f));
  const st = (j.staking ?? {}) as Record<string, unknown>;
  const cs = (j.consensus ?? {}) as Record<string, unknown>;
  const ae = (j.activationEpochs ?? {}) as Record<string, unknown>;
  const staking = { ...base.staking };
  for (const [k, v] of Object.entries(base.staking)) {
    (staking as Record<string, unknown>)[k] = typeof v === "bigint" ? big(st[k], `staking.${k}`, v) : num(st[k], `staking.${k}`, v);
  }
  return new ChainConfig({
    name: typeof j.name === "string" ? j.name : "custom",
    networkId: num(j.networkId, "networkId", base.networkId),
    shardCount: num(j.shardCount, "shardCount", base.shardCount),
    blockGasLimit: big(j.blockGasLimit, "blockGasLimit", base.blockGasLimit),
    minGasPrice: big(j.minGasPrice, "minGasPrice", base.minGasPrice),
    epochBlocks: num(j.epochBlocks, "epochBlocks", base.epochBlocks),
    blockTimeMs: num(j.blockTimeMs, "blockTimeMs", base.blockTimeMs),
    produceEmptyBlocks: typeof j.produceEmptyBlocks === "boolean" ? j.produceEmptyBlocks : base.produceEmptyBlocks,
    maxIncomingReceiptsPerBlock: num(j.maxIncomingReceiptsPerBlock, "maxIncomingReceiptsPerBlock", base.maxIncomingReceiptsPerBlock),
    pruneRetainBlocks: num(j.pruneRetainBlocks, "pruneRetainBlocks", base.pruneRetainBlocks),
    consensus: {
      viewChangeBaseMs: num(cs.viewChangeBaseMs, "consensus.viewChangeBaseMs", base.consensus.viewChangeBaseMs),
      leaderRotationMinBlocks: num(cs.leaderRotationMinBlocks, "consensus.leaderRotationMinBlocks", base.consensus.leaderRotationMinBlocks),
    },
    staking,
    activationEpochs: Object.fromEntries(
      FEATURES.map((f) => [f, ae[f] === undefined ? base.activationEpochs[f] : ae[f] === null ? null : toBig(ae[f], `activationEpochs.${f}`)]),
    ) as Record<Feature, bigint | null>,
  });
}

function toBig(v: unknown, field: string): bigint {
  if (typeof v === "bigint") return v;
  if ((typeof v === "number" && Number.isSafeInteger(v)) || (typeof v === "string" && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v))) return BigInt(v);
  throw new TypeError(`chain config: ${field} must be an integer or an integer string`);
}

function toNum(v: unknown, field: string): number {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw new TypeError(`chain config: ${field} must be an integer`);
  return n;
}
