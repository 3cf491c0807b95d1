/**
 * The signers of a block (Harmony's `withSigners`, rpc/blockchain.go GetBlockSigners): the committee
 * slots set in the block's commit bitmap — its stored proof, else the one the next header carries —
 * mapped through the committee of the block's epoch to each slot's validator address, in slot order
 * (a validator with several keys appears once per signing key, as in Harmony). Slots of plain genesis
 * keys have no validator address and are not named.
 * @module
 */
import type { Chain } from "../chain/index.ts";
import { slotsOfBitmap } from "../consensus/index.ts";

const isZero = (a: Uint8Array) => a.every((b) => b === 0);

/**
 * The validator addresses that signed block `n`; [] for genesis or a block without a known proof or
 * committee; undefined for a block the chain does not have.
 * @throws {ChainError} CORRUPT when a stored proof or shard state does not decode.
 */
export function getBlockSigners(chain: Pick<Chain, "getHeaderByNumber" | "getCommitProof" | "committeeSpecAt">, n: bigint): Uint8Array[] | undefined {
  const header = chain.getHeaderByNumber(n);
  if (header === undefined) return undefined;
  if (n === 0n) return [];
  const proof = chain.getCommitProof(header.hash);
  const committee = proof === undefined ? undefined : chain.committeeSpecAt(header.epoch);
  if (proof === undefined || committee === undefined) return [];
  const out: Uint8Array[] = [];
  for (const slot of slotsOfBitmap(proof.bitmap)) {
    const address = committee.addresses[slot];
    if (address !== undefined && !isZero(address)) out.push(address);
  }
  return out;
}
