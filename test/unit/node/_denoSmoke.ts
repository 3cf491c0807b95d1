// Runs under Deno (spawned by deno.test.ts): the validator node on Deno's adapter, WebSocket, Workers
// and the wasm BLS backend — a one-key network finalizes blocks and serves hmy_getNodeMetadata and
// /metrics, and eth_call runs on a call worker (a loop times out). Prints one JSON line.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import { createDevGenesis } from "../../../src/core/index.ts";
import { KDF_LIGHT, createBLS, encryptBLSKeystore } from "../../../src/crypto/index.ts";
import { startValidatorNode } from "../../../src/node/index.ts";
import { memoryLogger } from "./_helpers.ts";
import { testConfig, waitFor } from "./_net.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-deno-node-"));
const bls = await createBLS("wasm");
const sk = bls.keygen(new Uint8Array(32).fill(3));
writeFileSync(join(dir, "pass.txt"), "pw\n");
writeFileSync(join(dir, "bls.json"), JSON.stringify(await encryptBLSKeystore(sk, "pw", { bls, kdf: KDF_LIGHT })));
const node = await startValidatorNode(
  {
    dataDir: join(dir, "v"), host: "127.0.0.1", port: 0, genesis: createDevGenesis({ config: testConfig(200, 1000), committees: [[bls.secretToPublic(sk)]] }),
    blsKeystores: [join(dir, "bls.json")], passphraseFile: join(dir, "pass.txt"), nodeKeyFile: join(dir, "v", "nodekey"), bootnodes: [], blsBackend: "wasm", blsWorkers: 1,
    rpc: { callWorkers: 1, callTimeoutMs: 500 },
  },
  { adapter: await getRuntimeAdapter(), logger: memoryLogger() },
);
await waitFor(() => node.chain.head.number >= 3n, 20_000, "3 blocks");
const res = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "hmy_getNodeMetadata", params: [] }) });
const meta = ((await res.json()) as { result: { isLeader: boolean; consensus: { mode: string } } }).result;
// An infinite loop (installed by a state override) on the call worker ends with the timeout error.
const LOOP_AT = "0x00000000000000000000000000000000000100aa";
const loop = await fetch(node.url, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "eth_call", params: [{ to: LOOP_AT }, "latest", { [LOOP_AT]: { code: "0x5b600056" } }] }),
});
const loopError = ((await loop.json()) as { error?: { message: string } }).error?.message;
// The worker's timeout is counted when the pool retires it, which may be a moment after the answer.
let metrics = "";
for (let i = 0; i < 30; i++) {
  metrics = await (await fetch(`${node.url}metrics`)).text();
  if (/^harmony_rpc_call_timeouts_total 1$/m.test(metrics)) break;
  await new Promise((r) => setTimeout(r, 100));
}
if (loopError !== "execution aborted (timeout = 0.5s)") console.error(`loop answered: ${loopError}`);
const result = {
  runtime: (await getRuntimeAdapter()).name,
  blocks: node.chain.head.number >= 3n,
  isLeader: meta.isLeader,
  mode: meta.consensus.mode,
  blsWorkers: /harmony_bls_workers 1/.test(metrics),
  callTimeout: loopError === "execution aborted (timeout = 0.5s)" && /^harmony_rpc_call_timeouts_total 1$/m.test(metrics),
  callWorkers: /^harmony_rpc_call_workers 1$/m.test(metrics),
  // prom-client under Deno: process metrics, GC from v8.GCProfiler, an RPC histogram; no
  // monitorEventLoopDelay gauges (Deno's do not see a blocked loop), our own lag instead.
  promClient: /^process_resident_memory_bytes [1-9]/m.test(metrics) && /^process_cpu_seconds_total [0-9.e-]+$/m.test(metrics) && /^nodejs_gc_duration_seconds_count\{kind="\w+"\} [1-9]/m.test(metrics) &&
    /^harmony_rpc_request_duration_seconds_count\{method="eth_call"\} [1-9]/m.test(metrics) && !/^nodejs_eventloop_lag_p99_seconds/m.test(metrics) && /^harmony_event_loop_lag_seconds /m.test(metrics),
};
await node.stop();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(result));
