/**
 * The "no validator signs two conflicting messages" invariant, read from the nodes' vote logs: with
 * `HARMONY_VOTE_LOG=FILE` a node appends one JSON line per signed consensus message before it sends it,
 *   {"kind":"prepare"|"commit"|"viewchange"|"newview"|"announce"|"prepared"|"committed",
 *    "height":"<dec>","view":"<dec>","blockHash":"0x…"|null,"keys":["0x<bls pubkey>",…]}
 * and a conflict is one key with two lines of the same kind, height and view but different blockHash
 * (DESIGN §Consensus, double signing). Files are read incrementally, across every node, so a key that
 * signs one thing on a node and another thing after a restore from an old data dir is caught too.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";

const KINDS = new Set(["prepare", "commit", "viewchange", "newview", "announce", "prepared", "committed"]);

/** One line of a vote log. */
export interface VoteLine {
  kind: string;
  height: string;
  view: string;
  blockHash: string | null;
  keys: string[];
}

/**
 * Check one line of a vote log.
 * @throws {SyntaxError} when it is not JSON or not of the documented shape.
 */
export function parseVoteLine(line: string): VoteLine {
  const o = JSON.parse(line) as Record<string, unknown>;
  if (typeof o !== "object" || o === null) throw new SyntaxError("not a JSON object");
  if (typeof o.kind !== "string" || !KINDS.has(o.kind)) throw new SyntaxError(`unknown kind ${JSON.stringify(o.kind)}`);
  if (typeof o.height !== "string" || !/^\d+$/.test(o.height)) throw new SyntaxError(`bad height ${JSON.stringify(o.height)}`);
  if (typeof o.view !== "string" || !/^\d+$/.test(o.view)) throw new SyntaxError(`bad view ${JSON.stringify(o.view)}`);
  if (o.blockHash !== null && (typeof o.blockHash !== "string" || !/^0x[0-9a-fA-F]*$/.test(o.blockHash))) throw new SyntaxError(`bad blockHash ${JSON.stringify(o.blockHash)}`);
  // No keys: a message the node passed on without signing it (e.g. another validator's VIEWCHANGE).
  if (!Array.isArray(o.keys) || !o.keys.every((k) => typeof k === "string" && /^0x[0-9a-fA-F]{96}$/.test(k))) throw new SyntaxError("bad keys");
  return { kind: o.kind, height: o.height, view: o.view, blockHash: o.blockHash === null ? null : o.blockHash.toLowerCase(), keys: (o.keys as string[]).map((k) => k.toLowerCase()) };
}

interface Seen {
  blockHash: string | null;
  node: string;
  line: string;
}

/** Reads every node's vote log as it grows and remembers what each key signed. */
export class VoteLogChecker {
  readonly #offsets = new Map<string, number>();
  readonly #partial = new Map<string, string>();
  readonly #signed = new Map<string, Seen>();
  readonly #lines = new Map<string, number>();

  /** Lines read so far from `node`'s log. */
  linesOf(node: string): number {
    return this.#lines.get(node) ?? 0;
  }

  /**
   * Read what `node` appended to `file` since the last call; returns the violations found (empty when
   * none). A line still being written (no newline yet) is kept for the next call.
   */
  check(node: string, file: string): string[] {
    if (!existsSync(file)) return [];
    const size = statSync(file).size;
    const from = this.#offsets.get(file) ?? 0;
    if (size <= from) return [];
    const buf = Buffer.alloc(size - from);
    const fd = openSync(file, "r");
    try {
      readSync(fd, buf, 0, buf.length, from);
    } finally {
      closeSync(fd);
    }
    this.#offsets.set(file, size);
    const text = (this.#partial.get(file) ?? "") + buf.toString("utf8");
    const parts = text.split("\n");
    this.#partial.set(file, parts.pop() ?? "");
    const out: string[] = [];
    for (const line of parts) {
      if (line.trim() === "") continue;
      this.#lines.set(node, this.linesOf(node) + 1);
      let v: VoteLine;
      try {
        v = parseVoteLine(line);
      } catch (e) {
        out.push(`${node}: malformed vote log line (${(e as Error).message}): ${line.slice(0, 300)}`);
        continue;
      }
      for (const key of v.keys) {
        const id = `${key}|${v.kind}|${v.height}|${v.view}`;
        const prev = this.#signed.get(id);
        if (!prev) {
          this.#signed.set(id, { blockHash: v.blockHash, node, line });
        } else if (prev.blockHash !== v.blockHash) {
          out.push(`key ${key.slice(0, 18)}… signed two different ${v.kind} messages at height ${v.height} view ${v.view}:\n  ${prev.node}: ${prev.line}\n  ${node}: ${line}`);
        }
      }
    }
    return out;
  }
}
