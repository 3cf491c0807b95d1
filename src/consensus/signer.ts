/** A {@link Signer} over BLS secret keys held in memory by the driver. */
import type { BLS } from "../crypto/index.ts";
import type { Signer, StepContext } from "./types.ts";
import type { BlockCodec } from "./blockCodec.ts";

/**
 * Sign with the secret keys of the given slots and aggregate.
 * @throws {RangeError} when no key is given for a slot asked to sign (from `sign`).
 */
export function createBLSSigner(bls: BLS, secretKeys: ReadonlyMap<number, Uint8Array>): Signer {
  const keys = new Map(secretKeys);
  return {
    sign(slots: readonly number[], message: Uint8Array): Uint8Array {
      if (slots.length === 0) throw new RangeError("sign with no slots");
      const sigs = slots.map((s) => {
        const sk = keys.get(s);
        if (!sk) throw new RangeError(`no secret key for slot ${s}`);
        return bls.sign(sk, message);
      });
      return sigs.length === 1 ? (sigs[0] as Uint8Array) : bls.aggregateSignatures(sigs);
    },
  };
}

/** The step capabilities from a BLS implementation, this node's secret keys by slot, and a block codec. */
export function createStepContext(bls: BLS, secretKeys: ReadonlyMap<number, Uint8Array>, blockCodec: BlockCodec): StepContext {
  return { signer: createBLSSigner(bls, secretKeys), aggregateSignatures: (sigs) => bls.aggregateSignatures(sigs), blockCodec };
}
