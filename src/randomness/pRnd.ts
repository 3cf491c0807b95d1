/** pRnd: the combined VRF outputs of an epoch up to its cut-off (DESIGN §Randomness). */
import { keccak256 } from "../crypto/index.ts";
import { concatBytes } from "../util/bytes.ts";
import { VRF_OUTPUT_BYTES } from "./vrf.ts";

/**
 * pRnd = keccak256(output_0 ‖ output_1 ‖ …) over the VRF outputs of the epoch's blocks at offsets
 * [0, cutoff), in block order (genesis, which has no VRF, contributes nothing). It is also the seed
 * of the epoch's VDF. Any single honest contributor makes it unpredictable; the last contributor can
 * at most withhold its block, and cannot evaluate the VDF in time to know what that would change.
 * @throws {RangeError} when an output is not 32 bytes.
 */
export function computePRnd(vrfOutputs: readonly Uint8Array[]): Uint8Array {
  for (const o of vrfOutputs) if (o.length !== VRF_OUTPUT_BYTES) throw new RangeError(`VRF output must be ${VRF_OUTPUT_BYTES} bytes, got ${o.length}`);
  return keccak256(concatBytes(...vrfOutputs));
}
