/**
 * geth's `txpool_` namespace: what waits in the transaction pool, split into `pending` (executable
 * in the next block) and `queued` (behind a nonce gap).
 *   txpool_status → { pending: "0x…", queued: "0x…" }
 *   txpool_content → { pending: { ADDRESS: { NONCE: tx } }, queued: { … } }
 *   txpool_contentFrom(address) → { pending: { NONCE: tx }, queued: { … } }
 *   txpool_inspect → the content with each tx as "TO: VALUE wei + GAS gas × PRICE wei"
 * ADDRESS is EIP-55 checksummed, NONCE decimal (geth's map keys); a tx is the JSON of a pending
 * `eth_getTransactionByHash`. On a backend without a pool the methods do not exist (-32601).
 * @module
 */
import { isFeeMarketTx } from "../../core/index.ts";
import type { RpcTransaction, RpcTxPoolBackend } from "../backend.ts";
import type { MethodContext, MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { formatTransaction } from "../formatTx.ts";
import { toChecksumAddress, toData, toQuantity } from "../hex.ts";
import { arg, assertMaxArgs, parseAddress } from "../params.ts";

/** Transactions of one sender by decimal nonce. */
type ByNonce<T> = Record<string, T>;

function poolOf(ctx: MethodContext, method: string): RpcTxPoolBackend {
  const pool = ctx.backend.txpool;
  if (pool === undefined) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, `the method ${method} does not exist/is not available`);
  return pool;
}

// Sender, then nonce: the order geth's sorted map keys give, so two calls on the same pool print alike.
function sorted(txs: readonly RpcTransaction[]): RpcTransaction[] {
  return [...txs].sort((a, b) => {
    const s = toData(a.sender).localeCompare(toData(b.sender));
    return s !== 0 ? s : a.tx.nonce < b.tx.nonce ? -1 : a.tx.nonce > b.tx.nonce ? 1 : 0;
  });
}

function bySender<T>(txs: readonly RpcTransaction[], show: (t: RpcTransaction) => T): Record<string, ByNonce<T>> {
  const out: Record<string, ByNonce<T>> = {};
  for (const t of sorted(txs)) {
    const account = toChecksumAddress(t.sender);
    (out[account] ??= {})[t.tx.nonce.toString(10)] = show(t);
  }
  return out;
}

function byNonce<T>(txs: readonly RpcTransaction[], show: (t: RpcTransaction) => T): ByNonce<T> {
  const out: ByNonce<T> = {};
  for (const t of sorted(txs)) out[t.tx.nonce.toString(10)] = show(t);
  return out;
}

/**
 * geth's one-line summary of a transaction; the price is the fee cap of an EIP-1559 transaction (what
 * geth's `tx.GasPrice()` returns for it), the gas price otherwise.
 */
export function inspectTransaction(t: RpcTransaction): string {
  const { tx } = t;
  const price = isFeeMarketTx(tx) ? tx.maxFeePerGas : tx.gasPrice;
  const to = tx.to ? toChecksumAddress(tx.to.bytes) : "contract creation";
  return `${to}: ${tx.value} wei + ${tx.gasLimit} gas × ${price} wei`;
}

const asJSON = (t: RpcTransaction) => formatTransaction(t);

/** Handlers of this module by method name. */
export const txpoolMethods: Record<string, MethodHandler> = {
  txpool_status: (p, ctx) => {
    assertMaxArgs(p, 0);
    const s = poolOf(ctx, "txpool_status").status();
    return { pending: toQuantity(s.pending), queued: toQuantity(s.queued) };
  },
  txpool_content: (p, ctx) => {
    assertMaxArgs(p, 0);
    const c = poolOf(ctx, "txpool_content").content();
    return { pending: bySender(c.pending, asJSON), queued: bySender(c.queued, asJSON) };
  },
  txpool_contentFrom: (p, ctx) => {
    assertMaxArgs(p, 1);
    const from = toData(arg(p, 0, parseAddress));
    const c = poolOf(ctx, "txpool_contentFrom").content();
    const mine = (txs: RpcTransaction[]) => txs.filter((t) => toData(t.sender) === from);
    return { pending: byNonce(mine(c.pending), asJSON), queued: byNonce(mine(c.queued), asJSON) };
  },
  txpool_inspect: (p, ctx) => {
    assertMaxArgs(p, 0);
    const c = poolOf(ctx, "txpool_inspect").content();
    return { pending: bySender(c.pending, inspectTransaction), queued: bySender(c.queued, inspectTransaction) };
  },
};
