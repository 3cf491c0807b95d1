/**
 * The EVM's message frames in progress, for system contracts (precompiles) that act on their caller:
 * `@ethereumjs/evm` hands a precompile neither caller nor value, so both come from the frame on top
 * when the precompile runs, tracked through the EVM's message events.
 */
import type { EVM, Message } from "@ethereumjs/evm";

/** Frames in progress on the EVMs it is attached to. */
export interface MessageFrames {
  /** The innermost frame (the call to the precompile while it runs), if any. */
  top(): Message | undefined;
  attach(evm: EVM): void;
}

/** Track message frames. */
export function trackMessageFrames(): MessageFrames {
  const frames: Message[] = [];
  return {
    top: () => frames[frames.length - 1],
    attach(evm) {
      evm.events.on("beforeMessage", (m: Message) => {
        if (m.depth === 0) frames.length = 0; // an aborted call (deadline) may have left frames behind
        frames.push(m);
      });
      evm.events.on("afterMessage", () => {
        frames.pop();
      });
    },
  };
}
