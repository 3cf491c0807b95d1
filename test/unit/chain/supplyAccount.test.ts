// The supply account (consensus rule): every block's state holds the shard's running totals in slots
// 0..3 of 0x…fa, equal to the chain's supply records; genesis has no such account; a zero-value call
// to the account (EIP-161 touch) cannot wipe it; a follower refuses a block whose state root lacks the
// write (the normal state-root check).
import { describe, expect, test } from "bun:test";
import { BlockError, BlockErrorCode, createBlock, createHeader } from "../../../src/core/index.ts";
import { SUPPLY_ACCOUNT_ADDRESS, SUPPLY_ACCOUNT_BYTES, SUPPLY_SLOTS, getSupplyTotals } from "../../../src/execution/index.ts";
import { WorldState } from "../../../src/state/index.ts";
import { addrs, devChain, produce, tx } from "./_helpers.ts";
import { expectSupplyAccount } from "./_supply.ts";

describe("supply account", () => {
  test("genesis has none; each block adds its fees to the burnt total, equal to the chain's records", async () => {
    const chain = await devChain();
    expect(new WorldState(chain.state, chain.genesis.stateRoot).getAccount(SUPPLY_ACCOUNT_BYTES)).toBeNull();
    let nonce = 0n;
    for (let i = 0; i < 4; i++) {
      const txs = Array.from({ length: i + 1 }, () => tx(0, nonce++, { to: addrs[1], value: 5n, tip: BigInt(i) }));
      await produce(chain, txs);
    }
    await produce(chain, []); // an empty block carries the totals forward
    const totals = expectSupplyAccount(chain);
    expect(totals.burnt).toBe(chain.getBurntFees(chain.head.hash)?.cumulativeBurnt as bigint);
    expect(totals.burnt).toBeGreaterThan(0n);
    expect(SUPPLY_ACCOUNT_ADDRESS).toBe("0x00000000000000000000000000000000000000fa");
    // eth_getStorageAt's view: slot i as a uint256.
    const slot1 = chain.headState().getStorage(SUPPLY_ACCOUNT_BYTES, SUPPLY_SLOTS[1] as Uint8Array);
    expect(BigInt(`0x${Buffer.from(slot1).toString("hex")}`)).toBe(totals.burnt);
  });

  test("a zero-value call to the account (EIP-161 touch) and a transfer to it leave its totals in place", async () => {
    const chain = await devChain();
    await produce(chain, [tx(0, 0n, { to: addrs[1], value: 1n })]);
    const before = getSupplyTotals(new WorldState(chain.state, chain.head.stateRoot));
    await produce(chain, [tx(2, 0n, { to: SUPPLY_ACCOUNT_BYTES, value: 0n, gasLimit: 50_000n }), tx(3, 0n, { to: SUPPLY_ACCOUNT_BYTES, value: 9n, gasLimit: 50_000n })]);
    const after = expectSupplyAccount(chain);
    expect(after.burnt).toBeGreaterThan(before.burnt);
    expect(chain.headState().getAccount(SUPPLY_ACCOUNT_BYTES)).toMatchObject({ nonce: 1n, balance: 9n });
  });

  test("a block whose state root lacks the write is refused by a follower (STATE_ROOT_MISMATCH)", async () => {
    const leader = await devChain();
    const built = await produce(leader, [tx(0, 0n, { to: addrs[1], value: 1n })]);
    // The root a node without the rule would compute: the same state with no supply account.
    const world = new WorldState(leader.state, built.block.header.stateRoot);
    world.putAccount(SUPPLY_ACCOUNT_BYTES, null);
    const oldRule = world.stateRoot();
    expect(oldRule).not.toEqual(built.block.header.stateRoot);
    const forged = createBlock(createHeader({ ...built.block.header.toData(), stateRoot: oldRule }), [...built.block.transactions]);
    const follower = await devChain();
    const err = await follower.insertBlock(forged).catch((e) => e);
    expect(err).toBeInstanceOf(BlockError);
    expect((err as BlockError).code).toBe(BlockErrorCode.STATE_ROOT_MISMATCH);
    await follower.insertBlock(built.block);
    expect(follower.head.hash).toEqual(built.block.hash);
  });
});
