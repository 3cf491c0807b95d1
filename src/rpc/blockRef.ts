/**
 * Resolving block tags, numbers and EIP-1898 hashes against the backend. Blocks here are final as
 * soon as they are in the chain, so `latest`, `pending`, `safe` and `finalized` all name the head.
 * @module
 */
import type { RpcBackend, RpcBlock, RpcHeader } from "./backend.ts";
import { RpcErrorCode, rpcError } from "./errors.ts";
import { toData } from "./hex.ts";
import type { BlockSpec } from "./params.ts";

/** The number a tag or number names (may be beyond the head); undefined for a hash. */
export function specToNumber(spec: BlockSpec, backend: RpcBackend): bigint | undefined {
  if ("tag" in spec) return spec.tag === "earliest" ? 0n : backend.headNumber();
  if ("number" in spec) return spec.number;
  return undefined;
}

/** The header a spec names, or undefined when there is no such block. */
export async function resolveHeader(spec: BlockSpec, backend: RpcBackend): Promise<RpcHeader | undefined> {
  const n = specToNumber(spec, backend);
  if (n !== undefined) return n > backend.headNumber() ? undefined : backend.getHeaderByNumber(n);
  if (!("hash" in spec)) return undefined;
  const h = await backend.getHeaderByHash(spec.hash);
  if (h && spec.requireCanonical) {
    const canonical = await backend.getHeaderByNumber(h.number);
    if (!canonical || toData(canonical.hash) !== toData(h.hash)) return undefined;
  }
  return h;
}

/** The block a spec names, or undefined. */
export async function resolveBlock(spec: BlockSpec, backend: RpcBackend): Promise<RpcBlock | undefined> {
  const n = specToNumber(spec, backend);
  if (n !== undefined) return n > backend.headNumber() ? undefined : backend.getBlockByNumber(n);
  const h = await resolveHeader(spec, backend);
  return h ? backend.getBlockByHash(h.hash) : undefined;
}

/**
 * The header whose post-state a state read or call uses.
 * @throws {RpcError} -32000 "header not found" (geth's wording) when the block does not exist.
 */
export async function resolveStateHeader(spec: BlockSpec, backend: RpcBackend): Promise<RpcHeader> {
  const h = await resolveHeader(spec, backend);
  if (!h) {
    const what = "hash" in spec ? `header for hash ${toData(spec.hash)} not found` : "header not found";
    throw rpcError(RpcErrorCode.SERVER_ERROR, what);
  }
  return h;
}

/**
 * The block number whose post-state a state read uses (without loading a header for tags).
 * @throws {RpcError} -32000 "header not found" when the block does not exist.
 */
export async function resolveStateNumber(spec: BlockSpec, backend: RpcBackend): Promise<bigint> {
  const n = specToNumber(spec, backend);
  if (n === undefined) return (await resolveStateHeader(spec, backend)).number;
  if (n > backend.headNumber()) throw rpcError(RpcErrorCode.SERVER_ERROR, "header not found");
  return n;
}
