/**
 * Transaction JSON exactly as geth shows it (`RPCTransaction`), which viem and ethers v6 parse.
 * @module
 */
import { type SignedTransaction, effectiveGasPrice, isFeeMarketTx } from "../core/index.ts";
import type { RpcTransaction } from "./backend.ts";
import { toChecksumAddress, toData, toQuantity } from "./hex.ts";

/** Where an included transaction sits, plus the block's base fee (for the effective gas price). */
export interface TxContext {
  blockHash: Uint8Array;
  blockNumber: bigint;
  index: number;
  baseFeePerGas: bigint;
}

/** JSON object of a transaction (all values are JSON-ready). */
export type TxJSON = Record<string, unknown>;

/** JSON of an EIP-2930 access list. */
export function formatAccessList(list: readonly (readonly [Uint8Array, readonly Uint8Array[]])[]): unknown[] {
  return list.map(([address, keys]) => ({ address: toChecksumAddress(address), storageKeys: keys.map(toData) }));
}

function signatureFields(out: TxJSON, tx: SignedTransaction): void {
  const v = tx.v ?? 0n;
  out.v = toQuantity(v);
  out.r = toQuantity(tx.r ?? 0n);
  out.s = toQuantity(tx.s ?? 0n);
  if (tx.type !== 0) out.yParity = toQuantity(v);
}

function typeSpecificFields(out: TxJSON, tx: SignedTransaction): void {
  if (tx.type === 0) {
    // EIP-155: v = chainId * 2 + 35 + yParity; an unprotected tx (v 27/28) has no chain id.
    const v = tx.v ?? 0n;
    if (v >= 35n) out.chainId = toQuantity((v - 35n) / 2n);
    return;
  }
  out.accessList = formatAccessList(tx.accessList);
  out.chainId = toQuantity(tx.chainId);
}

/** Transaction JSON; `ctx` absent = pending (block fields null, gasPrice = maxFeePerGas as geth). */
export function formatTransaction(rt: RpcTransaction, ctx?: TxContext): TxJSON {
  const { tx } = rt;
  const feeCap = isFeeMarketTx(tx);
  const gasPrice = !feeCap ? tx.gasPrice : ctx ? effectiveGasPrice(tx, ctx.baseFeePerGas) : tx.maxFeePerGas;
  const out: TxJSON = {
    blockHash: ctx ? toData(ctx.blockHash) : null,
    blockNumber: ctx ? toQuantity(ctx.blockNumber) : null,
    from: toChecksumAddress(rt.sender),
    gas: toQuantity(tx.gasLimit),
    gasPrice: toQuantity(gasPrice),
  };
  if (feeCap) {
    out.maxFeePerGas = toQuantity(tx.maxFeePerGas);
    out.maxPriorityFeePerGas = toQuantity(tx.maxPriorityFeePerGas);
  }
  out.hash = toData(rt.hash);
  out.input = toData(tx.data);
  out.nonce = toQuantity(tx.nonce);
  out.to = tx.to ? toChecksumAddress(tx.to.bytes) : null;
  out.transactionIndex = ctx ? toQuantity(ctx.index) : null;
  out.value = toQuantity(tx.value);
  out.type = toQuantity(tx.type);
  typeSpecificFields(out, tx);
  signatureFields(out, tx);
  return out;
}
