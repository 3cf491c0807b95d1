/** Worker entry point: recovers packed sender jobs (see _recoverItems.ts) off the main thread. */
import { recoverPacked } from "./_recoverItems.ts";

interface WorkerScope {
  onmessage: ((ev: MessageEvent<{ id: number; jobs: Uint8Array }>) => void) | null;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (ev) => {
  const answers = recoverPacked(ev.data.jobs);
  scope.postMessage({ id: ev.data.id, answers }, [answers.buffer as ArrayBuffer]);
};
