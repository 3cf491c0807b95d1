/**
 * Structured logger: level + module + fields, pretty or JSON lines on stderr — or on stdout for a
 * long-running node in JSON mode, so a service manager (journald, a container runtime) reads one
 * stream of JSON objects (see {@link setLogDestination}).
 */

export type LogLevel = "error" | "warn" | "info" | "debug";
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

let format: "pretty" | "json" = "pretty";
let level: LogLevel = "info";
let destination: "stderr" | "stdout" = "stderr";

/** Choose the output format of every logger. */
export function setLogFormat(f: "pretty" | "json"): void {
  format = f;
}
/** The chosen output format. */
export function getLogFormat(): "pretty" | "json" {
  return format;
}

// One live line (e.g. sync progress) kept at the bottom of a terminal; log lines are printed above it.
let statusLine: string | undefined;
const CLEAR = "\r\x1b[K";

/**
 * Where log lines go. stderr (the default) keeps a command's own output on stdout clean (e.g.
 * `harmony network export > network.json`); stdout suits a node under a service manager, whose
 * stdout then carries nothing but log lines.
 */
export function setLogDestination(d: "stderr" | "stdout"): void {
  destination = d;
}

/** Whether a live status line can be shown: pretty format on a terminal stderr that also takes the logs. */
export function statusLineActive(): boolean {
  return format === "pretty" && destination === "stderr" && process.stderr.isTTY === true;
}

/**
 * Show (or with undefined, erase) the live status line, rewritten in place with `\r`. Does nothing
 * unless {@link statusLineActive}, so JSON logs and redirected stderr never get control characters.
 */
export function setStatusLine(text: string | undefined): void {
  if (!statusLineActive()) {
    statusLine = undefined;
    return;
  }
  const cols = process.stderr.columns;
  // A line longer than the terminal wraps, and `\r` then rewrites only its last row.
  statusLine = text === undefined ? undefined : cols !== undefined && cols > 1 && text.length >= cols ? text.slice(0, cols - 1) : text;
  process.stderr.write(`${CLEAR}${statusLine ?? ""}`);
}

/** Choose the most verbose level that is printed. */
export function setLogLevel(l: LogLevel): void {
  level = l;
}

export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  child(module: string): Logger;
}

function fmt(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString("hex")}`;
  if (v instanceof Error) return v.message;
  if (typeof v === "object" && v !== null) return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  return String(v);
}

/** Create a logger for one module (e.g. "store", "rpc"). */
export function createLogger(module: string): Logger {
  const emit = (l: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[l] > RANK[level]) return;
    const time = new Date().toISOString();
    let line: string;
    if (format === "json") {
      const rec: Record<string, string> = { time, level: l, module, msg };
      for (const [k, v] of Object.entries(fields ?? {})) rec[k] = fmt(v);
      line = JSON.stringify(rec);
    } else {
      const kv = Object.entries(fields ?? {}).map(([k, v]) => `${k}=${fmt(v)}`).join(" ");
      line = `${time.slice(11, 23)} ${l.toUpperCase().padEnd(5)} [${module}] ${msg}${kv ? ` ${kv}` : ""}`;
    }
    if (destination === "stdout") process.stdout.write(`${line}\n`);
    else process.stderr.write(statusLine === undefined ? `${line}\n` : `${CLEAR}${line}\n${statusLine}`);
  };
  return {
    error: (m, f) => emit("error", m, f),
    warn: (m, f) => emit("warn", m, f),
    info: (m, f) => emit("info", m, f),
    debug: (m, f) => emit("debug", m, f),
    child: (sub) => createLogger(`${module}.${sub}`),
  };
}
