// Issue 11 item 2: transactions are decoded once — a block from a peer whose transactions sit in our
// txpool takes the pool's decoded objects (Chain.decodeBlock) and the senders the pool recovered at
// admission (knownSender), so validating it recovers only the senders of transactions we never saw.
import { describe, expect, test } from "bun:test";
import { Chain } from "../../../src/chain/index.ts";
import { createDevGenesis, decodeBlock, encodeTransaction } from "../../../src/core/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { type TxPool, createTxPool } from "../../../src/txpool/index.ts";
import { addrs, devChain, produce, tx } from "./_helpers.ts";

describe("a block whose transactions are in the pool", () => {
  test("reuses the pool's transaction objects and senders; recovers only the others", async () => {
    const leader = await devChain();
    const txs = Array.from({ length: 6 }, (_, i) => tx(i, 0n, { to: addrs[9], value: 1n }));
    const built = await produce(leader, txs);
    const bytes = built.block.encode();

    let pool: TxPool | undefined;
    const follower = await Chain.open(openStore(":memory:"), {
      genesis: createDevGenesis(),
      senderPool: null,
      knownSender: (h) => pool?.getSender(h),
      knownTransaction: (h) => pool?.get(h)?.tx,
    });
    const config = follower.config;
    pool = createTxPool(
      { chainId: config.chainId(0), minGasPrice: config.minGasPrice, blockGasLimit: config.blockGasLimit },
      { state: { getNonce: (a) => follower.stateAt().getNonce(a), getBalance: (a) => follower.stateAt().getBalance(a), nextBaseFee: () => config.nextBaseFee(follower.head) } },
    );
    // Gossip brought us four of the six.
    for (const t of txs.slice(0, 4)) await pool.add(encodeTransaction(t));

    const block = follower.decodeBlock(bytes);
    for (let i = 0; i < 4; i++) expect(block.transactions[i]).toBe(pool.get(block.transactions[i]!.hash())!.tx);
    for (let i = 4; i < 6; i++) expect(pool.get(block.transactions[i]!.hash())).toBeUndefined();
    // core's decoder without the lookup builds new objects
    expect(decodeBlock(bytes, follower.common).transactions[0]).not.toBe(block.transactions[0]);

    const inserted = await follower.insertBlock(block);
    expect(inserted.block.hash).toEqual(built.block.hash);
    const st = follower.senderRecoveryStats;
    expect({ blocks: st.blocks, reused: st.reused, recovered: st.recovered }).toEqual({ blocks: 1, reused: 4, recovered: 2 });
    const included = follower.getBlockByNumber(1n);
    expect(included?.transactions.length).toBe(6);
    expect(follower.head.number).toBe(1n);
    await follower.close();
    await leader.close();
  });
});
