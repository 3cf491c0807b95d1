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

/** The fail point of the driver: a kill right after a durable vote. */
export const FAILPOINT_AFTER_PERSIST_SAFETY = "after-persist-safety";

/** The fail point of the store: writes fail as on a full disk. */
export const FAILPOINT_STORE_WRITE_FAIL = "store-write-fail";

/**
 * Misbehaviour for the slashing test: after each COMMIT the validator also sends a conflicting one
 * (`_doubleSign.ts`), from height HARMONY_FAILPOINT_HEIGHT on when given.
 */
export const FAILPOINT_DOUBLE_SIGN = "double-sign";

const KNOWN = [FAILPOINT_AFTER_PERSIST_SAFETY, FAILPOINT_STORE_WRITE_FAIL, FAILPOINT_DOUBLE_SIGN] as const;

/** An armed fail point. */
export interface Failpoint {
  readonly name: (typeof KNOWN)[number];
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
  if (!(KNOWN as readonly string[]).includes(name)) throw new RangeError(`HARMONY_FAILPOINT: unknown fail point "${name}" (known: ${KNOWN.join(", ")})`);
  const h = env.HARMONY_FAILPOINT_HEIGHT;
  if (h !== undefined && h !== "" && !/^\d+$/.test(h)) throw new RangeError(`HARMONY_FAILPOINT_HEIGHT must be a block number, got "${h}"`);
  return { name: name as Failpoint["name"], height: h === undefined || h === "" ? undefined : BigInt(h) };
}

/** Kill this process at once, as a crash would (no cleanup, no flushing of buffers). */
export function killSelf(): void {
  process.kill(process.pid, "SIGKILL");
}

/** Arms on a persisted safety record of the fail point's height and trips on the next send. */
export class FailpointTrigger {
  #armed = false;
  #tripped = false;

  constructor(
    readonly failpoint: Failpoint | undefined,
    readonly env: { clock: { setTimeout(fn: () => void, ms: number): unknown }; logger: { error(msg: string): void }; kill: () => void },
  ) {}

  /** A safety record of `height` is durable. */
  persisted(height: bigint): void {
    const f = this.failpoint;
    if (f?.name === FAILPOINT_AFTER_PERSIST_SAFETY && (f.height === undefined || f.height === height)) this.#armed = true;
  }

  /**
   * A message was sent. Returns true when the fail point trips: the caller handles nothing more,
   * and the process is killed a moment later (time for the socket to flush the message).
   */
  sent(): boolean {
    if (!this.#armed || this.#tripped) return this.#tripped;
    this.#tripped = true;
    this.env.logger.error(`fail point ${FAILPOINT_AFTER_PERSIST_SAFETY} reached: killing the process`);
    this.env.clock.setTimeout(() => this.env.kill(), 50);
    return true;
  }
}
