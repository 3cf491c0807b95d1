/**
 * Test fail points of the consensus driver (STYLE §11: durable steps separated by fail points), for
 * the crash-safety test of issue 4 (acceptance 3). Set in the environment of a node process:
 *
 *   HARMONY_FAILPOINT=after-persist-safety [HARMONY_FAILPOINT_HEIGHT=n]
 *
 * The driver then kills its own process with SIGKILL (exit status 137) right after a safety record
 * (of height n, when given) is written and the signed message it covers has been handed to the
 * network; it processes no further input meanwhile. A restarted node must never sign a message
 * that conflicts with what it signed before the kill.
 */

/** The one fail point the driver knows. */
export const FAILPOINT_AFTER_PERSIST_SAFETY = "after-persist-safety";

/** An armed fail point. */
export interface Failpoint {
  readonly name: typeof FAILPOINT_AFTER_PERSIST_SAFETY;
  /** Only a record of this height triggers it (any height when undefined). */
  readonly height: bigint | undefined;
}

/**
 * The fail point configured in `env`, or undefined.
 * @throws {RangeError} on an unknown fail point name or a bad height.
 */
export function failpointFromEnv(env: Record<string, string | undefined>): Failpoint | undefined {
  const name = env.HARMONY_FAILPOINT;
  if (name === undefined || name === "") return undefined;
  if (name !== FAILPOINT_AFTER_PERSIST_SAFETY) throw new RangeError(`HARMONY_FAILPOINT: unknown fail point "${name}" (known: ${FAILPOINT_AFTER_PERSIST_SAFETY})`);
  const h = env.HARMONY_FAILPOINT_HEIGHT;
  if (h !== undefined && h !== "" && !/^\d+$/.test(h)) throw new RangeError(`HARMONY_FAILPOINT_HEIGHT must be a block number, got "${h}"`);
  return { name, height: h === undefined || h === "" ? undefined : BigInt(h) };
}

/** Kill this process at once, as a crash would (no cleanup, no flushing of buffers). */
export function killSelf(): void {
  process.kill(process.pid, "SIGKILL");
}
