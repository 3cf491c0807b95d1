// Child-process helper for lock.test.ts: opens the data dir given as argv[2], reports the outcome
// as one JSON line, then (on success) waits for a line on stdin before closing and exiting.
import { openDataDir, StoreError } from "../../../src/store/index.ts";

const dir = process.argv[2] ?? "";
try {
  const store = openDataDir(dir);
  store.put(new TextEncoder().encode("child"), new TextEncoder().encode(String(process.pid)));
  console.log(JSON.stringify({ ok: true, pid: process.pid }));
  process.stdin.once("data", () => {
    store.close();
    process.exit(0);
  });
} catch (e) {
  console.log(JSON.stringify({ ok: false, code: e instanceof StoreError ? e.code : String(e), message: (e as Error).message }));
  process.exit(0);
}
