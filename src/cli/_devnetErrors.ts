/** Typed errors of `harmony devnet` (STYLE §9): a stable code plus the fields that explain it. */
import { NodeError } from "../util/index.ts";

/** Codes of {@link DevnetError}. */
export enum DevnetErrorCode {
  /** The data dir already runs a devnet (a pid of its devnet.json is alive). */
  ALREADY_RUNNING = "DEVNET_ERROR_ALREADY_RUNNING",
  /** A port the devnet needs is taken by another program. */
  PORT_IN_USE = "DEVNET_ERROR_PORT_IN_USE",
  /** The data dir's saved layout does not match a flag given on the command line. */
  LAYOUT_MISMATCH = "DEVNET_ERROR_LAYOUT_MISMATCH",
  /** A file of the data dir is missing or unreadable; `--fresh` recreates everything. */
  CORRUPT_DIR = "DEVNET_ERROR_CORRUPT_DIR",
  /** `--fresh` was asked to wipe a directory that does not hold a devnet. */
  NOT_A_DEVNET_DIR = "DEVNET_ERROR_NOT_A_DEVNET_DIR",
  /** A node process exited while the devnet was starting. */
  NODE_EXITED = "DEVNET_ERROR_NODE_EXITED",
  /** A node process did not start serving in time. */
  NODE_NOT_READY = "DEVNET_ERROR_NODE_NOT_READY",
}

/** The metadata union of {@link DevnetError}. */
export type DevnetErrorType =
  | { code: DevnetErrorCode.ALREADY_RUNNING; dir: string; pids: number[] }
  | { code: DevnetErrorCode.PORT_IN_USE; port: number }
  | { code: DevnetErrorCode.LAYOUT_MISMATCH; flag: string; saved: string; given: string }
  | { code: DevnetErrorCode.CORRUPT_DIR; dir: string; file: string }
  | { code: DevnetErrorCode.NOT_A_DEVNET_DIR; dir: string }
  | { code: DevnetErrorCode.NODE_EXITED; node: string; exitCode: number | null; signal: string | null }
  | { code: DevnetErrorCode.NODE_NOT_READY; node: string; timeoutMs: number };

/** An error of the devnet supervisor; the CLI prints its message. */
export class DevnetError extends NodeError<DevnetErrorType> {}

/** True for the devnet errors that a different command line fixes (the CLI exits with 2 for those). */
export function isDevnetUsageError(e: unknown): e is DevnetError {
  if (!(e instanceof DevnetError)) return false;
  const c = e.type.code;
  return c === DevnetErrorCode.LAYOUT_MISMATCH || c === DevnetErrorCode.NOT_A_DEVNET_DIR || c === DevnetErrorCode.PORT_IN_USE || c === DevnetErrorCode.ALREADY_RUNNING;
}
