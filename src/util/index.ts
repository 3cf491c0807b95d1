/**
 * Leaf utilities every layer may use (errors, hex, logging). Imports nothing of ours.
 * @module
 */
export { NodeError } from "./errors.ts";
export type { ErrorMeta } from "./errors.ts";
export { bytesToHex, hexToBytes, concatBytes, equalBytes, isHex } from "./bytes.ts";
export { createLogger, getLogFormat, setLogDestination, setLogFormat, setLogLevel } from "./logger.ts";
export type { Logger, LogLevel } from "./logger.ts";
export { workerURL } from "./workerURL.ts";
