// Chain: insert/validate/commit in one batch, reopen from a store (crash safety), queries, log index
// with limits, events, and the --dev producer.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlockError, BlockErrorCode, createBlock, createDevGenesis, createHeader, DEV_CHAIN_CONFIG, ChainConfig } from "../../../src/core/index.ts";
import { Chain, ChainError, DevBlockProducer } from "../../../src/chain/index.ts";
import { openStore, type KVStore, type BatchOp } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";
import { addrs, candidates, devChain, produce, tx } from "./_helpers.ts";

describe("chain", () => {
  test("genesis: head is block 0 with the dev alloc; another genesis on the same store is refused", async () => {
    const kv = openStore(":memory:");
    const chain = await devChain(kv);
    expect(chain.head.number).toBe(0n);
    expect(chain.stateAt(0n).getBalance(addrs[9]!)).toBe(10n ** 24n);
    expect(chain.genesisSupply).toBe(10n ** 25n);
    const other = createDevGenesis({ config: new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), networkId: 999 }) });
    await expect(Chain.open(kv, { genesis: other, senderPool: null })).rejects.toBeInstanceOf(ChainError);
  });

  test("reopening a file store resumes from the stored head with state, receipts and indexes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chain-"));
    try {
      let kv = openStore(join(dir, "store.sqlite"));
      let chain = await devChain(kv);
      const b1 = await produce(chain, [tx(0, 0n, { to: addrs[1], value: 11n })]);
      await produce(chain, [tx(0, 1n, { to: addrs[1], value: 22n })]);
      const head = chain.head;
      await chain.close();
      kv.close();
      kv = openStore(join(dir, "store.sqlite"));
      chain = await devChain(kv);
      expect(bytesToHex(chain.head.hash)).toBe(bytesToHex(head.hash));
      expect(chain.stateAt().getNonce(addrs[0]!)).toBe(2n);
      expect(chain.getTransaction(b1.block.transactions[0]!.hash())?.blockNumber).toBe(1n);
      await produce(chain, [tx(0, 2n, { to: addrs[1], value: 33n })]);
      expect(chain.head.number).toBe(3n);
      await chain.close();
      kv.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a failed batch leaves nothing behind: the chain and a reopened store keep the old head", async () => {
    const inner = openStore(":memory:");
    let fail = false;
    const flaky: KVStore = {
      get: (k) => inner.get(k),
      has: (k) => inner.has(k),
      put: (k, v) => inner.put(k, v),
      del: (k) => inner.del(k),
      batch: (ops: BatchOp[]) => {
        if (fail) throw new Error("disk full");
        inner.batch(ops);
      },
      iterate: (o) => inner.iterate(o),
      close: () => inner.close(),
    };
    const chain = await devChain(flaky);
    await produce(chain, [tx(0, 0n, { to: addrs[1], value: 1n })]);
    const head = chain.head;
    fail = true;
    await expect(produce(chain, [tx(0, 1n, { to: addrs[1], value: 1n })])).rejects.toThrow("disk full");
    expect(bytesToHex(chain.head.hash)).toBe(bytesToHex(head.hash));
    fail = false;
    const reopened = await devChain(inner);
    expect(reopened.head.number).toBe(1n);
    expect(reopened.stateAt().getNonce(addrs[0]!)).toBe(1n);
    // and production continues from there
    await produce(reopened, [tx(0, 1n, { to: addrs[1], value: 1n })]);
    expect(reopened.head.number).toBe(2n);
  });

  test("insertBlock rejects known blocks, unknown parents and wrong roots without writing", async () => {
    const a = await devChain();
    const b = await devChain();
    const built = await produce(a, [tx(0, 0n, { to: addrs[1], value: 5n })]);
    await b.insertBlock(built.block);
    await expect(b.insertBlock(built.block)).rejects.toMatchObject({ code: BlockErrorCode.ALREADY_KNOWN });
    const c = await devChain();
    const orphan = createBlock(createHeader({ ...built.block.header.toData(), number: 2n, parentHash: new Uint8Array(32).fill(7) }), []);
    await expect(c.insertBlock(orphan)).rejects.toMatchObject({ code: BlockErrorCode.PARENT_UNKNOWN });
    const wrongRoot = createBlock(createHeader({ ...built.block.header.toData(), stateRoot: new Uint8Array(32).fill(1) }), built.block.transactions);
    const err = await c.insertBlock(wrongRoot).catch((e) => e);
    expect(err).toBeInstanceOf(BlockError);
    expect(err.code).toBe(BlockErrorCode.STATE_ROOT_MISMATCH);
    expect(c.head.number).toBe(0n);
    expect(c.stateAt().getBalance(addrs[1]!)).toBe(10n ** 24n);
    const wrongGas = createBlock(createHeader({ ...built.block.header.toData(), gasUsed: 1n }), built.block.transactions);
    await expect(c.insertBlock(wrongGas)).rejects.toMatchObject({ code: BlockErrorCode.GAS_USED_MISMATCH });
    const wrongTxRoot = createBlock(built.block.header, []);
    await expect(c.insertBlock(wrongTxRoot)).rejects.toMatchObject({ code: BlockErrorCode.TX_ROOT_MISMATCH });
  });

  test("knownSender (the txpool's cache) supplies senders by tx hash instead of recovering them", async () => {
    const a = await devChain();
    const built = await produce(a, [tx(0, 0n, { to: addrs[1], value: 5n }), tx(1, 0n, { to: addrs[2], value: 6n })]);
    const cache = new Map(built.block.transactions.map((t, i) => [bytesToHex(t.hash()), built.senders[i]!]));
    const asked: string[] = [];
    const b = await Chain.open(openStore(":memory:"), {
      genesis: createDevGenesis(),
      senderPool: null,
      knownSender: (h) => {
        asked.push(bytesToHex(h));
        return cache.get(bytesToHex(h));
      },
    });
    await b.insertBlock(built.block);
    expect(asked.length).toBe(2);
    expect(bytesToHex(b.head.stateRoot)).toBe(bytesToHex(a.head.stateRoot));
    // a lying cache is believed (it is trusted), so the block then fails to validate
    const liar = await Chain.open(openStore(":memory:"), { genesis: createDevGenesis(), senderPool: null, knownSender: () => addrs[5] });
    await expect(liar.insertBlock(built.block)).rejects.toBeInstanceOf(BlockError);
  });

  test("events: block, head and logs after commit; a throwing listener does not break inserts", async () => {
    const chain = await devChain();
    const heads: bigint[] = [];
    const blocks: number[] = [];
    chain.on("head", (h) => heads.push(h.number));
    chain.on("block", (b) => blocks.push(b.block.transactions.length));
    const off = chain.on("head", () => {
      throw new Error("listener bug");
    });
    await produce(chain, [tx(0, 0n, { to: addrs[1] })]);
    off();
    await produce(chain, []);
    expect(heads).toEqual([1n, 2n]);
    expect(blocks).toEqual([1, 0]);
    // the head reader follows the head
    const r1 = chain.headState();
    expect(chain.headState()).toBe(r1);
    expect(r1.getNonce(addrs[0]!)).toBe(1n);
    await produce(chain, [tx(0, 1n, { to: addrs[1] })]);
    expect(chain.headState()).not.toBe(r1);
    expect(chain.headState().getNonce(addrs[0]!)).toBe(2n);
  });

  test("getLogs: index by address and topic, limit, range limit with a helpful message", async () => {
    const chain = await Chain.open(openStore(":memory:"), { genesis: createDevGenesis(), senderPool: null, maxLogBlockRange: 100 });
    // a contract that logs LOG1(topic = calldata word) — runtime: CALLDATALOAD(0) PUSH0 PUSH0 LOG1 STOP
    const runtime = Uint8Array.of(0x5f, 0x35, 0x5f, 0x5f, 0xa1, 0x00);
    const init = Uint8Array.of(0x60, runtime.length, 0x80, 0x60, 0x0b, 0x5f, 0x39, 0x5f, 0xf3, 0x00, 0x00, ...runtime);
    const d = await produce(chain, [tx(0, 0n, { data: init, gasLimit: 200_000n })]);
    const logger = chain.getTransactionReceipt(d.block.transactions[0]!.hash())!.contractAddress!;
    const word = (n: number) => {
      const w = new Uint8Array(32);
      w[31] = n;
      return w;
    };
    for (let i = 1; i <= 5; i++) await produce(chain, [tx(0, BigInt(i), { to: logger, data: word(i % 2 ? 1 : 2), gasLimit: 50_000n })]);
    const all = chain.getLogs({ fromBlock: 0n, toBlock: 50n, addresses: [], topics: [], limit: 100 });
    expect(all.map((l) => l.blockNumber)).toEqual([2n, 3n, 4n, 5n, 6n]);
    const odd = chain.getLogs({ fromBlock: 0n, toBlock: 50n, addresses: [logger], topics: [[word(1)]], limit: 100 });
    expect(odd.map((l) => l.blockNumber)).toEqual([2n, 4n, 6n]);
    expect(chain.getLogs({ fromBlock: 3n, toBlock: 4n, addresses: [logger], topics: [[word(1), word(2)]], limit: 100 }).length).toBe(2);
    expect(chain.getLogs({ fromBlock: 0n, toBlock: 50n, addresses: [addrs[0]!], topics: [], limit: 100 }).length).toBe(0);
    expect(chain.getLogs({ fromBlock: 0n, toBlock: 50n, addresses: [], topics: [], limit: 2 }).length).toBe(2);
    // head is 6: a range ending past the head is clamped, so it is not too large
    expect(chain.getLogs({ fromBlock: 0n, toBlock: 1000n, addresses: [], topics: [], limit: 1 }).length).toBe(1);
    expect(chain.getLogs({ fromBlock: 0n, toBlock: 99n, addresses: [], topics: [], limit: 10 }).length).toBe(5);
    expect(() => chain.getLogs({ fromBlock: 0n, toBlock: 100n, addresses: [], topics: [], limit: 10 })).not.toThrow();
    await chain.close();
    const c2 = await Chain.open(openStore(":memory:"), { genesis: createDevGenesis(), senderPool: null, maxLogBlockRange: 3 });
    for (let i = 0; i < 5; i++) await produce(c2, []);
    const tooLarge = () => c2.getLogs({ fromBlock: 0n, toBlock: 4n, addresses: [], topics: [], limit: 10 });
    expect(tooLarge).toThrow(ChainError);
    expect(tooLarge).toThrow(
      expect.objectContaining({ code: "CHAIN_ERROR_LOG_RANGE_TOO_LARGE", type: expect.objectContaining({ maxBlockRange: 3, requested: 5n }) }),
    );
    expect(tooLarge).toThrow(/narrow fromBlock\/toBlock/);
    expect(c2.getLogs({ fromBlock: 2n, toBlock: 4n, addresses: [], topics: [], limit: 10 })).toEqual([]);
  });

  test("DevBlockProducer makes a block per tick, empty ones too, and includes pending txs", async () => {
    const chain = await devChain();
    const pending = [tx(0, 0n, { to: addrs[1], value: 1n })];
    const producer = new DevBlockProducer(chain, { blockTimeMs: 30, txSource: () => candidates(pending.splice(0)) });
    producer.start();
    await new Promise((r) => setTimeout(r, 200));
    await producer.stop();
    expect(chain.head.number).toBeGreaterThanOrEqual(3n);
    expect(chain.getBlockByNumber(1n)!.transactions.length).toBe(1);
    expect(chain.stateAt().getBalance(addrs[1]!)).toBe(10n ** 24n + 1n);
    const n = chain.head.number;
    await new Promise((r) => setTimeout(r, 80));
    expect(chain.head.number).toBe(n); // stopped
    const quiet = new DevBlockProducer(chain, { txSource: () => [], produceEmptyBlocks: false });
    expect(await quiet.produceOnce()).toBeUndefined();
  });
});
