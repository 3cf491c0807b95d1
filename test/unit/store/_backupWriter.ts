// Child-process helper for backup.test.ts: opens the data dir argv[2] as a node does (LOCK taken,
// shareReads) and writes batches forever; batch i = keys `w<i>-<j>` plus `last` = i, acked on fd 1
// only after `batch` returns, so an ack never precedes its commit.
import { writeSync } from "node:fs";
import { openDataDir, type BatchOp } from "../../../src/store/index.ts";

export const WRITER_BATCH_KEYS = 10;
const enc = new TextEncoder();
const dir = process.argv[2];

if (dir !== undefined) {
  const store = openDataDir(dir, { shareReads: true });
  for (let i = 0; ; i++) {
    const ops: BatchOp[] = [];
    for (let j = 0; j < WRITER_BATCH_KEYS; j++) ops.push({ type: "put", key: enc.encode(`w${i}-${j}`), value: enc.encode(`${i}:${j}`.padEnd(300, "y")) });
    ops.push({ type: "put", key: enc.encode("last"), value: enc.encode(String(i)) });
    store.batch(ops);
    writeSync(1, `ack ${i}\n`);
  }
}
