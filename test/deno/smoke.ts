// Deno smoke test (issue 2, item 2): the same source runs under Deno — store round-trip,
// BLS sign/verify with the backend Deno picks (wasm), CLI --version. Prints one JSON line.
import { openStore } from "../../src/store/index.ts";
import { createBLS } from "../../src/crypto/index.ts";
import { getRuntimeAdapter } from "../../src/adapter/index.ts";
import { VERSION } from "../../src/version.ts";

const result: Record<string, unknown> = {};
const adapter = await getRuntimeAdapter();
result.runtime = adapter.name;

const store = openStore(":memory:");
store.batch([
  { type: "put", key: new Uint8Array([1]), value: new Uint8Array([10]) },
  { type: "put", key: new Uint8Array([2]), value: new Uint8Array([20]) },
]);
result.store = [...store.iterate()].map(([k, v]) => [k[0], v[0]]);
store.close();

const bls = await createBLS(adapter.defaultBLSBackend);
const sk = bls.keygen();
const msg = new TextEncoder().encode("harmony");
const sig = bls.sign(sk, msg);
result.blsBackend = bls.backend;
result.blsVerify = bls.verify(bls.secretToPublic(sk), msg, sig);
result.blsReject = bls.verify(bls.secretToPublic(sk), new TextEncoder().encode("other"), sig);
result.version = VERSION;
console.log(JSON.stringify(result));
