/**
 * The eth_ methods of mining nodes and node-held keys that dapp tools still call, answered as geth
 * answers them for what this node is: it does not mine (FBFT, no proof of work) and holds no user
 * keys, so `eth_mining` is false, `eth_hashrate` 0, `eth_sendTransaction` fails as geth fails without
 * an unlocked account, and `eth_coinbase` is the coinbase of the node's proposals (geth's error when it
 * names none). `eth_protocolVersion` is the version of the
 * node-to-node protocol. `eth_blobBaseFee` is what the EVM's BLOBBASEFEE gives contracts: blob
 * (type-3) transactions are refused, so the excess blob gas stays 0 and the fee stays at EIP-4844's
 * minimum of 1 wei.
 * @module
 */
import { parseCallObject } from "../callParams.ts";
import type { MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { toChecksumAddress, toQuantity } from "../hex.ts";
import { arg, assertMaxArgs } from "../params.ts";

/** EIP-4844's MIN_BASE_FEE_PER_BLOB_GAS: the blob base fee while the excess blob gas is 0. */
const MIN_BLOB_BASE_FEE = 1n;

/** Handlers of this module by method name. */
export const legacyMethods: Record<string, MethodHandler> = {
  eth_mining: (p) => {
    assertMaxArgs(p, 0);
    return false;
  },
  eth_hashrate: (p) => {
    assertMaxArgs(p, 0);
    return "0x0";
  },
  // A network node's proposals carry its node key's address; the dev node's name no one (geth's error without an etherbase).
  eth_coinbase: (p, ctx) => {
    assertMaxArgs(p, 0);
    const coinbase = ctx.backend.coinbase;
    if (coinbase === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, "etherbase must be explicitly specified");
    return toChecksumAddress(coinbase.call(ctx.backend));
  },
  eth_protocolVersion: (p, ctx) => {
    assertMaxArgs(p, 0);
    const v = ctx.backend.protocolVersion;
    if (v === undefined) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, "the method eth_protocolVersion does not exist/is not available");
    return toQuantity(v.call(ctx.backend));
  },
  eth_blobBaseFee: (p) => {
    assertMaxArgs(p, 0);
    return toQuantity(MIN_BLOB_BASE_FEE);
  },
  // geth checks the arguments, then looks for the sender among its unlocked accounts: there are none.
  eth_sendTransaction: (p) => {
    assertMaxArgs(p, 1);
    arg(p, 0, parseCallObject);
    throw rpcError(RpcErrorCode.SERVER_ERROR, "unknown account");
  },
};
