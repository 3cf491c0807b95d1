/** A {@link Signer} over BLS secret keys held in memory by the driver. */
import { type BLS, aggregateSecretKeys } from "../crypto/index.ts";
import type { Signer, StepContext } from "./types.ts";
import type { BlockCodec } from "./blockCodec.ts";

/**
 * Sign with the secret keys of the given slots, aggregated. Several slots sign once with the sum of
 * their keys (the same bytes as signing with each and aggregating, at the cost of one signature: a
 * node holding 63 keys spent ~25 ms per vote natively and ~200 ms on WASM signing them one by one);
 * the sum is kept per slot set, since a node signs with the same set every round.
 * @throws {RangeError} when no key is given for a slot asked to sign (from `sign`).
 */
export function createBLSSigner(bls: BLS, secretKeys: ReadonlyMap<number, Uint8Array>): Signer {
  const keys = new Map(secretKeys);
  // Slot set → the sum of its keys, or null when they cancel (then they sign one by one).
  const sums = new Map<string, Uint8Array | null>();
  const keyOf = (s: number): Uint8Array => {
    const sk = keys.get(s);
    if (!sk) throw new RangeError(`no secret key for slot ${s}`);
    return sk;
  };
  return {
    sign(slots: readonly number[], message: Uint8Array): Uint8Array {
      if (slots.length === 0) throw new RangeError("sign with no slots");
      const sks = slots.map(keyOf);
      if (sks.length === 1) return bls.sign(sks[0] as Uint8Array, message);
      const id = slots.join(",");
      let sum = sums.get(id);
      if (sum === undefined) {
        sum = aggregateSecretKeys(sks);
        if (sums.size >= 16) sums.delete(sums.keys().next().value as string);
        sums.set(id, sum);
      }
      return sum !== null ? bls.sign(sum, message) : bls.aggregateSignatures(sks.map((sk) => bls.sign(sk, message)));
    },
  };
}

/** The step capabilities from a BLS implementation, this node's secret keys by slot, and a block codec. */
export function createStepContext(bls: BLS, secretKeys: ReadonlyMap<number, Uint8Array>, blockCodec: BlockCodec): StepContext {
  return { signer: createBLSSigner(bls, secretKeys), aggregateSignatures: (sigs) => bls.aggregateSignatures(sigs), blockCodec };
}
