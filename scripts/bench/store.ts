/**
 * `make bench store`: the sqlite KV store (a durable file store in a temp dir: WAL, synchronous=FULL)
 * against a plain JS `Map` keyed by precomputed hex strings doing the same ops in the same run.
 * The ratio column is store throughput / Map throughput.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDataDir, type BatchOp } from "../../src/store/index.ts";
import { printTable, timeIt, type Row } from "./_table.ts";

const ENTRIES = 100_000;
const BATCH = 1000;
const GETS_PER_CALL = 1000;

/** 32-byte keys (like hashes) from a xorshift stream; deterministic across runs. */
function makeKeys(n: number): Uint8Array[] {
  let x = 0x2545f491;
  const keys: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const k = new Uint8Array(32);
    for (let j = 0; j < 32; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      k[j] = x & 0xff;
    }
    keys.push(k);
  }
  return keys;
}

const hex = (k: Uint8Array) => Buffer.from(k).toString("hex");

function row(op: string, storeUs: number, mapUs: number, perCall: number): Row {
  const store = (perCall * 1e6) / storeUs;
  const map = (perCall * 1e6) / mapUs;
  return { op, "store ops/s": store, "Map ops/s": map, "store/Map": store / map };
}

/** Run the store benchmark section and print its table. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "harmony-bench-store-"));
  const store = openDataDir(dir, { quickCheck: false });
  const map = new Map<string, Uint8Array>();
  try {
    const keys = makeKeys(ENTRIES);
    const hexKeys = keys.map(hex);
    const value = new Uint8Array(100).fill(7);
    const rows: Row[] = [];

    // Single puts: each one is its own durable transaction (one WAL fsync per put).
    let p = 0;
    const putUs = await timeIt(() => store.put(keys[p++ % ENTRIES] as Uint8Array, value), { minMs: 1000 });
    let q = 0;
    const mapPutUs = await timeIt(() => map.set(hexKeys[q++ % ENTRIES] as string, value), { minMs: 300 });
    rows.push(row("put (single, durable)", putUs, mapPutUs, 1));

    // Batches of 1000 puts: one transaction and one fsync per batch. Fills all ENTRIES keys.
    let b = 0;
    const batchUs = await timeIt(() => {
      const ops: BatchOp[] = [];
      const base = (b++ * BATCH) % ENTRIES;
      for (let i = 0; i < BATCH; i++) ops.push({ type: "put", key: keys[base + i] as Uint8Array, value });
      store.batch(ops);
    }, { minMs: 1000, minIters: ENTRIES / BATCH });
    let c = 0;
    const mapBatchUs = await timeIt(() => {
      const base = (c++ * BATCH) % ENTRIES;
      for (let i = 0; i < BATCH; i++) map.set(hexKeys[base + i] as string, value);
    }, { minMs: 300, minIters: ENTRIES / BATCH });
    rows.push(row(`put (batches of ${BATCH})`, batchUs, mapBatchUs, BATCH));

    // Random gets over the 100k entries (both stores hold exactly the same keys now).
    const order = Array.from({ length: GETS_PER_CALL * 16 }, (_, i) => (i * 7919 + 13) % ENTRIES);
    let g = 0;
    const getUs = await timeIt(() => {
      for (let i = 0; i < GETS_PER_CALL; i++) store.get(keys[order[g++ % order.length] as number] as Uint8Array);
    }, { minMs: 1000 });
    let h = 0;
    const mapGetUs = await timeIt(() => {
      for (let i = 0; i < GETS_PER_CALL; i++) map.get(hexKeys[order[h++ % order.length] as number] as string);
    }, { minMs: 300 });
    rows.push(row(`get (random, ${ENTRIES / 1000}k entries)`, getUs, mapGetUs, GETS_PER_CALL));

    // Full ordered scan of the store vs. Map iteration (insertion order: no sorting work at all).
    const iterUs = await timeIt(() => {
      let n = 0;
      for (const _ of store.iterate()) n++;
      if (n !== ENTRIES) throw new Error(`iterate saw ${n} entries, expected ${ENTRIES}`);
    }, { minMs: 1000, minIters: 3 });
    const mapIterUs = await timeIt(() => {
      let n = 0;
      for (const _ of map) n++;
      if (n !== ENTRIES) throw new Error(`Map saw ${n} entries`);
    }, { minMs: 300 });
    rows.push(row("iterate (entries/s)", iterUs, mapIterUs, ENTRIES));

    printTable(`store (node:sqlite WAL, synchronous=FULL, ${process.platform}) vs Map`, rows);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
