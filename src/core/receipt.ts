/**
 * Transaction receipts in Ethereum's consensus encoding (EIP-658 status, EIP-2718 typed envelope), so
 * the receipts root follows Ethereum's trie rules: legacy `rlp([status, cumulativeGas, bloom, logs])`,
 * typed `type ‖ rlp(…)`.
 */
import { asBytes, asList, decodeInt, rlpDecode, rlpEncode } from "./_codec.ts";
import { bigintToBytes } from "./_codec.ts";
import { BLOOM_BYTES, computeLogsBloom } from "./bloom.ts";
import { type Log, logFromRLP, logToRLP } from "./log.ts";

/** A consensus receipt. */
export interface Receipt {
  /** Transaction type (0 legacy, 1 EIP-2930, 2 EIP-1559). */
  readonly type: number;
  /** 1 success, 0 failure (revert or exceptional halt). */
  readonly status: 0 | 1;
  /** Gas used by this and all earlier transactions of the block. */
  readonly cumulativeGasUsed: bigint;
  readonly logsBloom: Uint8Array;
  readonly logs: readonly Log[];
}

/** A receipt with its bloom computed from the logs; frozen. */
export function createReceipt(data: Omit<Receipt, "logsBloom">): Receipt {
  return Object.freeze({ ...data, logs: Object.freeze([...data.logs]), logsBloom: computeLogsBloom(data.logs) });
}

/** Consensus encoding of a receipt (the value in the receipts trie). */
export function encodeReceipt(r: Receipt): Uint8Array {
  const body = rlpEncode([r.status === 1 ? Uint8Array.of(1) : new Uint8Array(0), bigintToBytes(r.cumulativeGasUsed), r.logsBloom, r.logs.map(logToRLP)]);
  if (r.type === 0) return body;
  const out = new Uint8Array(body.length + 1);
  out[0] = r.type;
  out.set(body, 1);
  return out;
}

/**
 * Decode the consensus encoding of a receipt.
 * @throws {SyntaxError} on malformed bytes.
 */
export function decodeReceipt(bytes: Uint8Array): Receipt {
  if (bytes.length === 0) throw new SyntaxError("receipt: empty");
  const typed = (bytes[0] as number) < 0x7f;
  const type = typed ? (bytes[0] as number) : 0;
  const [status, cumulative, bloom, logs] = asList(rlpDecode(typed ? bytes.subarray(1) : bytes, "receipt"), "receipt", 4);
  const s = decodeInt(status, "receipt.status", 1);
  if (s > 1n) throw new SyntaxError("receipt: status must be 0 or 1 (post-Byzantium)");
  return Object.freeze({
    type,
    status: s === 1n ? 1 : 0,
    cumulativeGasUsed: decodeInt(cumulative, "receipt.cumulativeGasUsed", 8),
    logsBloom: asBytes(bloom, "receipt.logsBloom", BLOOM_BYTES),
    logs: Object.freeze(asList(logs, "receipt.logs").map(logFromRLP)),
  });
}
