/**
 * The supply account (a consensus rule, DESIGN §Staking "token economics"): the end of every block
 * writes the shard's running totals — block reward issued, wei burnt (fees and slashed stake), sent to
 * other shards and credited from them, each from genesis up to and including the block — into four
 * fixed storage slots of a reserved system account. Every validator recomputes them, so the header's
 * stateRoot, signed by the shard committee and crosslinked into the beacon chain, commits to them,
 * and anyone holding a crosslinked header can check a shard's totals with an EIP-1186 proof.
 * The genesis state has no such account (its totals are zero by definition), so genesis roots do not
 * move; block 1 writes it first.
 * @module
 */
import { bigintToBytes } from "../core/index.ts";
import { hexToBytes } from "../util/index.ts";
import { EMPTY_ACCOUNT, type WorldState } from "../state/index.ts";

/**
 * The reserved address: below the staking (0x…fc) and cross-shard (0x…f9) system contracts' range
 * ends and far above the EVM precompiles (0x01–0x11), with no code, so no transaction can write its
 * storage (only this block-end rule does).
 */
export const SUPPLY_ACCOUNT_ADDRESS = "0x00000000000000000000000000000000000000fa";
export const SUPPLY_ACCOUNT_BYTES: Uint8Array = hexToBytes(SUPPLY_ACCOUNT_ADDRESS);

/** Storage slot i (32 bytes, big-endian i) of each total. */
const slotOf = (i: number): Uint8Array => {
  const s = new Uint8Array(32);
  s[31] = i;
  return s;
};

/** The four slots, in the order of {@link SupplyTotals}' fields: issued, burnt, cxOut, cxIn. */
export const SUPPLY_SLOTS: readonly Uint8Array[] = Object.freeze([0, 1, 2, 3].map(slotOf));

/** A shard's running totals in wei, from genesis up to and including one block. */
export interface SupplyTotals {
  readonly issued: bigint;
  /** Fees burnt plus slashed stake burnt. */
  readonly burnt: bigint;
  readonly cxOut: bigint;
  readonly cxIn: bigint;
}

/** One block's additions to the totals. */
export type SupplyDelta = SupplyTotals;

function toBigint(v: Uint8Array): bigint {
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return n;
}

/** The totals the state holds (all zero at genesis, before the first block wrote them). */
export function getSupplyTotals(world: Pick<WorldState, "getStorage">): SupplyTotals {
  const [issued, burnt, cxOut, cxIn] = SUPPLY_SLOTS.map((s) => toBigint(world.getStorage(SUPPLY_ACCOUNT_BYTES, s)));
  return { issued: issued ?? 0n, burnt: burnt ?? 0n, cxOut: cxOut ?? 0n, cxIn: cxIn ?? 0n };
}

/** The totals from four uint256 slot values in slot order. */
export function supplyTotalsFromSlots(values: readonly bigint[]): SupplyTotals {
  if (values.length !== 4) throw new RangeError(`supply totals: expected 4 slot values, got ${values.length}`);
  const [issued, burnt, cxOut, cxIn] = values as [bigint, bigint, bigint, bigint];
  return { issued, burnt, cxOut, cxIn };
}

/**
 * Add one block's figures to the totals in `world` (the block's state after its transactions, the
 * incoming credits and the finalize step) and return the new totals. Nothing else writes these slots:
 * the account has no code, and a nonce of 1 keeps it from counting as empty, so EIP-161's removal of
 * touched empty accounts (a zero-value call to it) cannot wipe its storage.
 */
export function processSupplyTotals(world: WorldState, delta: SupplyDelta): SupplyTotals {
  const before = getSupplyTotals(world);
  const after: SupplyTotals = { issued: before.issued + delta.issued, burnt: before.burnt + delta.burnt, cxOut: before.cxOut + delta.cxOut, cxIn: before.cxIn + delta.cxIn };
  const a = world.getAccount(SUPPLY_ACCOUNT_BYTES) ?? EMPTY_ACCOUNT;
  if (a.nonce === 0n) world.putAccount(SUPPLY_ACCOUNT_BYTES, { ...a, nonce: 1n });
  [after.issued, after.burnt, after.cxOut, after.cxIn].forEach((v, i) => world.putStorage(SUPPLY_ACCOUNT_BYTES, SUPPLY_SLOTS[i] as Uint8Array, bigintToBytes(v)));
  return after;
}
