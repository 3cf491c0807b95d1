/**
 * Worker entry point: recovers packed sender jobs (see _recoverItems.ts) off the main thread, on the
 * secp256k1 backend its process chose (HARMONY_SECP256K1_BACKEND, set by the CLI; else auto).
 */
import { createSecp256k1, parseSecp256k1BackendName, useSecp256k1Backend } from "../crypto/index.ts";
import { recoverPacked } from "./_recoverItems.ts";

interface WorkerScope {
  onmessage: ((ev: MessageEvent<{ id: number; jobs: Uint8Array }>) => void) | null;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
}

function wantedBackend(): string {
  try {
    return globalThis.process?.env?.HARMONY_SECP256K1_BACKEND ?? "auto";
  } catch {
    return "auto"; // no environment access (a Deno worker without --allow-env)
  }
}

// Jobs that arrive while the backend loads wait for it; a backend that cannot load leaves noble.
const ready = (async () => {
  try {
    useSecp256k1Backend(await createSecp256k1(parseSecp256k1BackendName(wantedBackend())));
  } catch {
    useSecp256k1Backend(await createSecp256k1("auto"));
  }
})();

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (ev) => {
  void ready.then(() => {
    const answers = recoverPacked(ev.data.jobs);
    scope.postMessage({ id: ev.data.id, answers }, [answers.buffer as ArrayBuffer]);
  });
};
