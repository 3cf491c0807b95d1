/** Checks of {@link P2POptions} that `createP2P` runs before it builds anything. */
import { isDialableUrl, tryNormalizeUrl } from "./_handshake.ts";
import type { P2POptions } from "./types.ts";

/**
 * `n` when it is a finite positive number.
 * @throws {RangeError} naming `what` otherwise.
 */
export function positive(n: number, what: string): number {
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${what} must be a positive number, got ${n}`);
  return n;
}

/**
 * Check the options; returns our normalized listen URL ("" when we advertise none).
 * @throws {TypeError} for a listen URL that is not a ws/wss URL or names no dialable host (0.0.0.0, [::]).
 * @throws {RangeError} for an id, limit or rate out of range.
 */
export function checkOptions(opts: P2POptions): string {
  const listenUrl = opts.listenUrl === "" ? "" : tryNormalizeUrl(opts.listenUrl);
  if (listenUrl === undefined) throw new TypeError(`listenUrl must be a ws:// or wss:// URL (or "" to advertise none): ${opts.listenUrl}`);
  if (listenUrl !== "" && !isDialableUrl(listenUrl)) throw new TypeError(`listenUrl ${listenUrl} names no machine peers can dial; advertise a reachable host (or "" for none)`);
  if (!Number.isSafeInteger(opts.networkId) || opts.networkId < 0) throw new RangeError(`networkId must be a non-negative integer`);
  if (!Number.isInteger(opts.shardId) || opts.shardId < 0 || opts.shardId > 0xffffffff) throw new RangeError(`shardId must be a u32`);
  if (!Number.isInteger(opts.maxPeers) || opts.maxPeers < 1) throw new RangeError(`maxPeers must be a positive integer`);
  if (opts.maxMessageBytes < 1024) throw new RangeError(`maxMessageBytes must be at least 1024`);
  positive(opts.rateLimits.messagesPerSec, "rateLimits.messagesPerSec");
  positive(opts.rateLimits.bytesPerSec, "rateLimits.bytesPerSec");
  return listenUrl;
}
