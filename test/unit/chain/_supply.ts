// The supply-account check shared by the chain tests (bun:test only: the Deno smoke tests import _helpers.ts).
import { expect } from "bun:test";
import type { Chain } from "../../../src/chain/index.ts";
import type { Header } from "../../../src/core/index.ts";
import { SUPPLY_ACCOUNT_BYTES, type SupplyTotals, getSupplyTotals } from "../../../src/execution/index.ts";
import { WorldState } from "../../../src/state/index.ts";

/**
 * The supply account's four slots in the state of every block of `chain` equal the chain's supply
 * records of that block (issued, fees + slashes burnt, cx out, cx in from genesis); genesis has none.
 * Returns the head's totals.
 */
export function expectSupplyAccount(chain: Chain): SupplyTotals {
  let last: SupplyTotals = { issued: 0n, burnt: 0n, cxOut: 0n, cxIn: 0n };
  for (let n = 0n; n <= chain.head.number; n++) {
    const h = chain.getHeaderByNumber(n) as Header;
    const world = new WorldState(chain.state, h.stateRoot);
    const r = chain.getBurntFees(h.hash);
    const records = { issued: r?.cumulativeIssued ?? 0n, burnt: (r?.cumulativeBurnt ?? 0n) + (r?.cumulativeBurntSlashes ?? 0n), cxOut: r?.cumulativeCxOut ?? 0n, cxIn: r?.cumulativeCxIn ?? 0n };
    last = getSupplyTotals(world);
    expect({ block: n, ...last }).toEqual({ block: n, ...records });
    // Written from block 1 on, with a nonce so EIP-161 never removes it; genesis state is as before.
    expect(world.getAccount(SUPPLY_ACCOUNT_BYTES)?.nonce ?? 0n).toBe(n === 0n ? 0n : 1n);
  }
  return last;
}
