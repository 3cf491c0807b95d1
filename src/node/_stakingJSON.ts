/**
 * Harmony's JSON shapes for staking records (harmony-one/harmony staking/types: ValidatorWrapper,
 * Delegation, ValidatorRPCEnhanced), with `0x` checksummed addresses (DESIGN §3). Amounts are exact
 * JSON numbers, as Harmony's *big.Int fields marshal; rates are 18-decimal strings (numeric.Dec).
 */
import type { ShardState } from "../core/index.ts";
import { toChecksumAddress } from "../crypto/index.ts";
import { DEC_ONE, type DelegationRecord, type ValidatorRecord, ValidatorStatus } from "../staking/index.ts";
import { bytesToHex } from "../util/bytes.ts";

/** An exact integer as a raw JSON number (both runtimes have JSON.rawJSON). */
export function num(v: bigint): unknown {
  return (JSON as unknown as { rawJSON(s: string): unknown }).rawJSON(v.toString());
}

/** A 1e18-scaled value as Harmony's 18-decimal string. */
export function dec(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? "-" : ""}${a / DEC_ONE}.${(a % DEC_ONE).toString().padStart(18, "0")}`;
}

export const address = (a: Uint8Array): string => toChecksumAddress(bytesToHex(a));

const STATUS: Record<number, string> = { [ValidatorStatus.ACTIVE]: "active", [ValidatorStatus.INACTIVE]: "inactive", [ValidatorStatus.BANNED]: "banned" };

function undelegations(d: DelegationRecord) {
  return d.undelegations.map((u) => ({ amount: num(u.amount), epoch: num(u.epoch) }));
}

/** Harmony's `ValidatorWrapper` JSON (validator fields, address, delegations). */
export function validatorWrapperJSON(v: ValidatorRecord, delegations: readonly DelegationRecord[]): Record<string, unknown> {
  return {
    "bls-public-keys": v.blsKeys.map(bytesToHex),
    "min-self-delegation": num(v.minSelfDelegation),
    "max-total-delegation": num(v.maxTotalDelegation),
    rate: dec(v.rate),
    "max-rate": dec(v.maxRate),
    "max-change-rate": dec(v.maxChangeRate),
    name: v.description.name,
    identity: v.description.identity,
    website: v.description.website,
    "security-contact": v.description.securityContact,
    details: v.description.details,
    "creation-height": num(v.creationHeight),
    address: address(v.address),
    delegations: delegations.map((d) => ({ "delegator-address": address(d.delegator), amount: num(d.amount), reward: num(d.reward), undelegations: undelegations(d) })),
  };
}

/** Harmony's RPC `Delegation` (hmy_getDelegationsBy*). */
export function delegationJSON(validator: Uint8Array, d: DelegationRecord): Record<string, unknown> {
  return {
    validator_address: address(validator),
    delegator_address: address(d.delegator),
    amount: num(d.amount),
    reward: num(d.reward),
    Undelegations: d.undelegations.map((u) => ({ Amount: num(u.amount), Epoch: num(u.epoch) })),
  };
}

/** Harmony's `ValidatorRPCEnhanced`, from the records and the shard state in force. */
export function validatorInformationJSON(
  v: ValidatorRecord,
  delegations: readonly DelegationRecord[],
  o: { current: ShardState; eligible: boolean },
): Record<string, unknown> {
  const all = o.current.shards.flatMap((s) => s.slots.map((slot) => ({ shardId: s.shardId, slot, total: s.slots.reduce((n, x) => n + x.effectiveStake, 0n) })));
  const network = all.reduce((n, x) => n + x.slot.effectiveStake, 0n);
  const mine = all.filter((x) => x.slot.validator.every((b, i) => b === v.address[i]));
  const inCommittee = mine.length > 0;
  const pct = (part: bigint, whole: bigint) => dec(whole === 0n ? 0n : (part * DEC_ONE) / whole);
  return {
    validator: validatorWrapperJSON(v, delegations),
    "current-epoch-performance": {
      "current-epoch-signing-percent": {
        "current-epoch-signed": num(v.epochSigned),
        "current-epoch-to-sign": num(v.epochToSign),
        "current-epoch-signing-percentage": pct(v.epochSigned, v.epochToSign),
      },
    },
    metrics: inCommittee
      ? {
          "by-bls-key": mine.map((x) => ({
            key: {
              "bls-public-key": bytesToHex(x.slot.blsKey),
              "group-percent": pct(x.slot.effectiveStake, x.total),
              "effective-stake": dec(x.slot.effectiveStake * DEC_ONE),
              "earning-account": address(v.address),
              "overall-percent": pct(x.slot.effectiveStake, network),
              "shard-id": x.shardId,
            },
          })),
        }
      : null,
    "total-delegation": num(v.totalDelegation),
    "currently-in-committee": inCommittee,
    // A banned validator may still sit out the epoch it was elected for; it is never elected again.
    "epos-status": v.status === ValidatorStatus.BANNED ? "banned" : inCommittee ? "currently elected" : o.eligible ? "eligible to be elected next epoch" : "not eligible to be elected next epoch",
    "epos-winning-stake": inCommittee ? dec(mine.reduce((n, x) => n + x.slot.effectiveStake, 0n) * DEC_ONE) : null,
    "booted-status": null,
    "active-status": STATUS[v.status] ?? "inactive",
    lifetime: { "reward-accumulated": num(v.lifetimeReward), blocks: { "to-sign": num(v.lifetimeToSign), signed: num(v.lifetimeSigned) } },
  };
}
