/**
 * Account state at a block: eth_getBalance, eth_getTransactionCount, eth_getCode,
 * eth_getStorageAt, eth_getProof.
 * @module
 */
import { resolveStateNumber } from "../blockRef.ts";
import type { MethodHandler } from "../context.ts";
import { toChecksumAddress, toData, toQuantity } from "../hex.ts";
import { ParamError, arg, assertMaxArgs, field, parseAddress, parseBlockSpec, parseSlot } from "../params.ts";

/** Most storage keys one eth_getProof may ask for. */
const MAX_PROOF_KEYS = 1024;

function parseSlots(v: unknown): Uint8Array[] {
  if (!Array.isArray(v)) throw new ParamError("expected array of storage keys");
  if (v.length > MAX_PROOF_KEYS) throw new ParamError(`too many storage keys (max ${MAX_PROOF_KEYS})`);
  return v.map((k, i) => field(`[${i}]`, k, parseSlot));
}

/** Handlers of this module by method name. */
export const stateMethods: Record<string, MethodHandler> = {
  eth_getBalance: async (p, ctx) => {
    assertMaxArgs(p, 2);
    const address = arg(p, 0, parseAddress);
    const n = await resolveStateNumber(arg(p, 1, parseBlockSpec), ctx.backend);
    return toQuantity(await ctx.backend.getBalance(address, n));
  },
  eth_getTransactionCount: async (p, ctx) => {
    assertMaxArgs(p, 2);
    const address = arg(p, 0, parseAddress);
    const spec = arg(p, 1, parseBlockSpec);
    if ("tag" in spec && spec.tag === "pending") return toQuantity(await ctx.backend.getPendingNonce(address));
    return toQuantity(await ctx.backend.getNonce(address, await resolveStateNumber(spec, ctx.backend)));
  },
  eth_getCode: async (p, ctx) => {
    assertMaxArgs(p, 2);
    const address = arg(p, 0, parseAddress);
    const n = await resolveStateNumber(arg(p, 1, parseBlockSpec), ctx.backend);
    return toData(await ctx.backend.getCode(address, n));
  },
  eth_getStorageAt: async (p, ctx) => {
    assertMaxArgs(p, 3);
    const address = arg(p, 0, parseAddress);
    const slot = arg(p, 1, parseSlot);
    const n = await resolveStateNumber(arg(p, 2, parseBlockSpec), ctx.backend);
    return toData(await ctx.backend.getStorageAt(address, slot, n));
  },
  eth_getProof: async (p, ctx) => {
    assertMaxArgs(p, 3);
    const address = arg(p, 0, parseAddress);
    const slots = arg(p, 1, parseSlots);
    const n = await resolveStateNumber(arg(p, 2, parseBlockSpec), ctx.backend);
    const proof = await ctx.backend.getProof(address, slots, n);
    return {
      address: toChecksumAddress(address),
      accountProof: proof.accountProof.map(toData),
      balance: toQuantity(proof.balance),
      codeHash: toData(proof.codeHash),
      nonce: toQuantity(proof.nonce),
      storageHash: toData(proof.storageHash),
      storageProof: proof.storageProof.map((s) => ({ key: toData(s.key), value: toQuantity(s.value), proof: s.proof.map(toData) })),
    };
  },
};
