/**
 * Typed errors with a code and metadata (STYLE §9).
 * @module
 */

/** Metadata every typed error carries: a stable string code plus any fields that explain it. */
export type ErrorMeta = { code: string } & Record<string, unknown>;

/**
 * Base class of every domain error of the node. `type.code` is stable and machine-readable;
 * the message is for humans.
 */
export class NodeError<T extends ErrorMeta = ErrorMeta> extends Error {
  readonly type: T;
  constructor(type: T, message?: string, options?: { cause?: unknown }) {
    super(message ?? type.code, options);
    this.type = type;
    this.name = new.target.name;
  }
  get code(): T["code"] {
    return this.type.code;
  }
  /** Plain, JSON-serializable form for logs and RPC error data. */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = { message: this.message };
    for (const [k, v] of Object.entries(this.type)) {
      out[k] = v instanceof Uint8Array ? `0x${Buffer.from(v).toString("hex")}` : typeof v === "bigint" ? v.toString() : v;
    }
    return out;
  }
}
