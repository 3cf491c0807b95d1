// Shared helpers of the node tests.
import type { Logger } from "../../../src/util/logger.ts";

/** A log line kept by {@link memoryLogger}. */
export type LogLine = { level: string; msg: string; fields?: Record<string, unknown> };

/** A quiet logger that keeps its lines (set `echo` to print them while debugging). */
export function memoryLogger(lines: LogLine[] = [], echo = false): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, msg, ...(fields ? { fields } : {}) });
    if (echo) console.log(level, msg, fields ?? "");
  };
  const logger: Logger = { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug"), child: () => logger };
  return logger;
}
