/**
 * Staking records (DESIGN §Staking) and their RLP encodings: a validator, and one delegation to a
 * validator (its amount, rewards not yet collected, auto-compound flag and pending undelegations).
 * Decoding is strict (canonical integers, exact field counts), as for every consensus-critical codec.
 * @module
 */
import { asBytes, asList, bigintToBytes, decodeInt, rlpDecode, rlpEncode } from "../core/index.ts";

/** A validator's lifecycle state. */
export const ValidatorStatus = { ACTIVE: 0, INACTIVE: 1, BANNED: 2 } as const;
export type ValidatorStatus = (typeof ValidatorStatus)[keyof typeof ValidatorStatus];

/** Free-text fields, bounded as Harmony bounds them. */
export interface Description {
  name: string;
  identity: string;
  website: string;
  securityContact: string;
  details: string;
}

/** Longest value of each description field, in bytes (Harmony's limits). */
export const DESCRIPTION_LIMITS: Readonly<Record<keyof Description, number>> = {
  name: 140,
  identity: 140,
  website: 140,
  securityContact: 140,
  details: 280,
};

/** A validator. Rates with 1e18 = 100%. */
export interface ValidatorRecord {
  address: Uint8Array;
  blsKeys: Uint8Array[];
  description: Description;
  rate: bigint;
  maxRate: bigint;
  maxChangeRate: bigint;
  /** Epoch the rate last changed in (the creation epoch at first): one change per epoch. */
  rateEpoch: bigint;
  minSelfDelegation: bigint;
  maxTotalDelegation: bigint;
  status: ValidatorStatus;
  creationHeight: bigint;
  /** Σ amounts of its delegations (self-delegation included; undelegating stake excluded). */
  totalDelegation: bigint;
  /** Delegators' rewards credited to the validator and not yet split over its delegations. */
  rewardPool: bigint;
  /** Blocks its keys were due to sign / signed in the current epoch (availability). */
  epochToSign: bigint;
  epochSigned: bigint;
  lifetimeToSign: bigint;
  lifetimeSigned: bigint;
  lifetimeReward: bigint;
}

/** Stake on its way back to the delegator, released `lockEpochs` after `epoch`. */
export interface Undelegation {
  amount: bigint;
  epoch: bigint;
}

/** One delegator's delegation to one validator. */
export interface DelegationRecord {
  delegator: Uint8Array;
  amount: bigint;
  /** Rewards credited and not yet collected. */
  reward: bigint;
  autoCompound: boolean;
  undelegations: Undelegation[];
  /** Position in the validator's delegator list and in the delegator's validator list. */
  indexInValidator: number;
  indexInDelegator: number;
}

const int = (v: bigint | number) => bigintToBytes(BigInt(v));
const text = (s: string) => new TextEncoder().encode(s);
const fromText = (b: unknown, f: string) => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(asBytes(b, f));
  } catch (e) {
    throw e instanceof SyntaxError ? e : new SyntaxError(`${f}: not UTF-8`);
  }
};

/** RLP of a validator record. */
export function encodeValidator(v: ValidatorRecord): Uint8Array {
  const d = v.description;
  return rlpEncode([
    v.address,
    v.blsKeys,
    [text(d.name), text(d.identity), text(d.website), text(d.securityContact), text(d.details)],
    [int(v.rate), int(v.maxRate), int(v.maxChangeRate), int(v.rateEpoch)],
    [int(v.minSelfDelegation), int(v.maxTotalDelegation), int(v.status), int(v.creationHeight)],
    [int(v.totalDelegation), int(v.rewardPool)],
    [int(v.epochToSign), int(v.epochSigned), int(v.lifetimeToSign), int(v.lifetimeSigned), int(v.lifetimeReward)],
  ]);
}

/**
 * Decode a validator record.
 * @throws {SyntaxError} on anything but a canonical encoding.
 */
export function decodeValidator(bytes: Uint8Array): ValidatorRecord {
  const f = asList(rlpDecode(bytes, "validator"), "validator", 7);
  const keys = asList(f[1], "blsKeys").map((k, i) => asBytes(k, `blsKeys[${i}]`, 48));
  const d = asList(f[2], "description", 5);
  const r = asList(f[3], "rates", 4);
  const l = asList(f[4], "limits", 4);
  const s = asList(f[5], "stake", 2);
  const c = asList(f[6], "counters", 5);
  const status = Number(decodeInt(l[2], "status", 1));
  if (status > ValidatorStatus.BANNED) throw new SyntaxError(`validator status ${status} unknown`);
  return {
    address: asBytes(f[0], "address", 20),
    blsKeys: keys,
    description: {
      name: fromText(d[0], "name"),
      identity: fromText(d[1], "identity"),
      website: fromText(d[2], "website"),
      securityContact: fromText(d[3], "securityContact"),
      details: fromText(d[4], "details"),
    },
    rate: decodeInt(r[0], "rate"),
    maxRate: decodeInt(r[1], "maxRate"),
    maxChangeRate: decodeInt(r[2], "maxChangeRate"),
    rateEpoch: decodeInt(r[3], "rateEpoch"),
    minSelfDelegation: decodeInt(l[0], "minSelfDelegation"),
    maxTotalDelegation: decodeInt(l[1], "maxTotalDelegation"),
    status: status as ValidatorStatus,
    creationHeight: decodeInt(l[3], "creationHeight"),
    totalDelegation: decodeInt(s[0], "totalDelegation"),
    rewardPool: decodeInt(s[1], "rewardPool"),
    epochToSign: decodeInt(c[0], "epochToSign"),
    epochSigned: decodeInt(c[1], "epochSigned"),
    lifetimeToSign: decodeInt(c[2], "lifetimeToSign"),
    lifetimeSigned: decodeInt(c[3], "lifetimeSigned"),
    lifetimeReward: decodeInt(c[4], "lifetimeReward"),
  };
}

/** RLP of a delegation record. */
export function encodeDelegation(d: DelegationRecord): Uint8Array {
  return rlpEncode([
    d.delegator,
    int(d.amount),
    int(d.reward),
    int(d.autoCompound ? 1 : 0),
    d.undelegations.map((u) => [int(u.amount), int(u.epoch)]),
    int(d.indexInValidator),
    int(d.indexInDelegator),
  ]);
}

/**
 * Decode a delegation record.
 * @throws {SyntaxError} on anything but a canonical encoding.
 */
export function decodeDelegation(bytes: Uint8Array): DelegationRecord {
  const f = asList(rlpDecode(bytes, "delegation"), "delegation", 7);
  const auto = decodeInt(f[3], "autoCompound", 1);
  if (auto > 1n) throw new SyntaxError("autoCompound is neither 0 nor 1");
  return {
    delegator: asBytes(f[0], "delegator", 20),
    amount: decodeInt(f[1], "amount"),
    reward: decodeInt(f[2], "reward"),
    autoCompound: auto === 1n,
    undelegations: asList(f[4], "undelegations").map((u, i) => {
      const p = asList(u, `undelegations[${i}]`, 2);
      return { amount: decodeInt(p[0], "amount"), epoch: decodeInt(p[1], "epoch") };
    }),
    indexInValidator: Number(decodeInt(f[5], "indexInValidator", 4)),
    indexInDelegator: Number(decodeInt(f[6], "indexInDelegator", 4)),
  };
}

/** A new validator's record: active, its stake its total delegation, no rewards or counters yet. */
export function newValidatorRecord(
  v: Pick<ValidatorRecord, "address" | "blsKeys" | "description" | "rate" | "maxRate" | "maxChangeRate" | "minSelfDelegation" | "maxTotalDelegation"> & {
    epoch: bigint;
    blockNumber: bigint;
    stake: bigint;
  },
): ValidatorRecord {
  return {
    address: v.address.slice(),
    blsKeys: v.blsKeys.map((k) => k.slice()),
    description: { ...v.description },
    rate: v.rate,
    maxRate: v.maxRate,
    maxChangeRate: v.maxChangeRate,
    rateEpoch: v.epoch,
    minSelfDelegation: v.minSelfDelegation,
    maxTotalDelegation: v.maxTotalDelegation,
    status: ValidatorStatus.ACTIVE,
    creationHeight: v.blockNumber,
    totalDelegation: v.stake,
    rewardPool: 0n,
    epochToSign: 0n,
    epochSigned: 0n,
    lifetimeToSign: 0n,
    lifetimeSigned: 0n,
    lifetimeReward: 0n,
  };
}

/** A new delegation (not yet in the indexes: `putDelegation` appends it). */
export function newDelegationRecord(delegator: Uint8Array, amount: bigint): DelegationRecord {
  return { delegator: delegator.slice(), amount, reward: 0n, autoCompound: false, undelegations: [], indexInValidator: -1, indexInDelegator: -1 };
}
