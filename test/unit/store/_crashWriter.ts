// Child-process helper for crash.test.ts: opens the data dir argv[2] (taking over the stale LOCK
// of a killed predecessor), continues after the last committed batch, and writes batches forever.
// Batch i = BATCH_KEYS keys `b<i>-<j>` plus `last` = i, in one atomic `batch`; only after `batch`
// returns does it print `ack <i>` (a synchronous write to fd 1, so the ack cannot precede the commit).
import { writeSync } from "node:fs";
import { openDataDir, type BatchOp } from "../../../src/store/index.ts";

export const BATCH_KEYS = 20;
const enc = new TextEncoder();
const dir = process.argv[2];

if (dir !== undefined) {
  const store = openDataDir(dir);
  const lastRaw = store.get(enc.encode("last"));
  let i = lastRaw === undefined ? 0 : Number(new TextDecoder().decode(lastRaw)) + 1;
  writeSync(1, `ready ${i}\n`);
  for (;;) {
    const ops: BatchOp[] = [];
    for (let j = 0; j < BATCH_KEYS; j++) {
      ops.push({ type: "put", key: enc.encode(`b${i}-${j}`), value: enc.encode(`${i}:${j}:`.padEnd(400, "x")) });
    }
    ops.push({ type: "put", key: enc.encode("last"), value: enc.encode(String(i)) });
    store.batch(ops);
    writeSync(1, `ack ${i}\n`);
    i++;
  }
}
