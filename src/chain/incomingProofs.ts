/**
 * Incoming cross-shard receipts in a block body (DESIGN §Sharding): every node checks the body's
 * proofs ({@link verifyIncomingProofs}) before crediting their receipts, and a leader picks what its
 * block credits from the proofs it has been offered ({@link selectIncomingProofs}). Whether a receipt
 * was credited before is the state's spent-set, checked again when the block executes.
 * @module
 */
import { BlockError, BlockErrorCode, CxError, type CxProof, type IndexedCxReceipt, hashKey } from "../core/index.ts";
import { type CxSourceBlock, type IncomingCxInput, narrowCxProof, verifyCxProof } from "../execution/index.ts";

/** What the checks of incoming proofs need from the chain. */
export interface IncomingEnv {
  /** This shard: the destination. */
  readonly shardId: number;
  /** Most receipts one block credits (the chain config's maxIncomingReceiptsPerBlock). */
  readonly maxReceipts: number;
  /** The beacon chain's answer: is this source block crosslinked (a beacon block: is it final there)? */
  readonly isCrosslinked: (source: CxSourceBlock) => boolean;
}

function invalid(proof: number, e: CxError): BlockError {
  const index = "index" in e.type ? e.type.index : -1;
  return new BlockError({ code: BlockErrorCode.CX_RECEIPT_INVALID, index, cxCode: e.code, reason: e.message, proof }, `invalid incoming cross-shard proof ${proof}: ${e.message}`, { cause: e });
}

/**
 * Check every proof of a block body against this shard and the beacon chain, and return what the
 * block's execution credits: all their receipts, in body order.
 * @throws {BlockError} CX_RECEIPT_INVALID naming the proof (`proof`) and the CxError code (`cxCode`).
 */
export function verifyIncomingProofs(proofs: readonly CxProof[], env: IncomingEnv): IncomingCxInput {
  const receipts: IndexedCxReceipt[] = [];
  proofs.forEach((p, i) => {
    try {
      verifyCxProof(p, env);
    } catch (e) {
      if (!(e instanceof CxError)) throw e;
      throw invalid(i, e);
    }
    receipts.push(...p.receipts);
  });
  return { shardId: env.shardId, maxReceipts: env.maxReceipts, receipts };
}

/**
 * Name the proof of a CX_RECEIPT_INVALID error that execution raised for one receipt (execution
 * sees the receipts, not the proofs they came in); other errors are returned as they are.
 */
export function withProofIndex(e: unknown, proofs: readonly CxProof[]): unknown {
  if (!(e instanceof BlockError) || e.type.code !== BlockErrorCode.CX_RECEIPT_INVALID || e.type.proof !== undefined) return e;
  const cause = e.cause;
  if (!(cause instanceof CxError) || !("txHash" in cause.type)) return e;
  const { txHash, index } = cause.type;
  const k = hashKey(txHash);
  // The last proof holding it: a receipt repeated in one body is refused at its second occurrence.
  let proof = -1;
  proofs.forEach((p, i) => {
    if (p.receipts.some((r) => r.index === index && hashKey(r.receipt.txHash) === k)) proof = i;
  });
  return proof < 0 ? e : new BlockError({ ...e.type, proof }, e.message, { cause });
}

/** What a leader's selection also needs: the spent-set at the parent state. */
export interface SelectIncomingEnv extends IncomingEnv {
  /** True when the receipt at `index` of its source block, sent by `txHash`, was already credited here. */
  readonly isSpent: (txHash: Uint8Array, index: number) => boolean;
}

/**
 * The proofs a block credits from `pending` (any order of arrival, repeats and bad ones allowed), in
 * the order given: the ones that verify and whose source block is crosslinked, without the receipts
 * already credited or already taken in this block, at most `env.maxReceipts` receipts in all — the
 * proof that crosses the cap is cut to the receipts that fit (the rest wait for a later block).
 */
export function selectIncomingProofs(pending: readonly CxProof[], env: SelectIncomingEnv): CxProof[] {
  const out: CxProof[] = [];
  const taken = new Set<string>();
  let left = env.maxReceipts;
  for (const p of pending) {
    if (left === 0) break;
    // The spent-set first: a proof whose receipts were all credited is dropped without checking it.
    const keys = new Set<string>();
    const receipts: IndexedCxReceipt[] = [];
    for (const r of p.receipts) {
      if (receipts.length === left) break;
      const k = `${hashKey(r.receipt.txHash)}:${r.index}`;
      if (taken.has(k) || keys.has(k) || env.isSpent(r.receipt.txHash, r.index)) continue;
      keys.add(k);
      receipts.push(r);
    }
    if (receipts.length === 0) continue;
    try {
      verifyCxProof(p, env);
    } catch (e) {
      if (e instanceof CxError) continue;
      throw e;
    }
    for (const k of keys) taken.add(k);
    out.push(receipts.length === p.receipts.length ? p : narrowCxProof(p, receipts));
    left -= receipts.length;
  }
  return out;
}
