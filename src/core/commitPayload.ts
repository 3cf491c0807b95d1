/**
 * What a COMMIT vote signs (DESIGN §Consensus): `blockNumber (8 bytes LE) ‖ blockHash (32) ‖
 * viewId (8 bytes LE)`, 48 bytes as in Harmony. It lives in core (DESIGN §2) so that consensus, which
 * makes and checks votes, and staking, which proves double signing from them, share one definition.
 * @module
 */

/** Length of a block hash. */
export const HASH_LENGTH = 32;
/** Length of the commit payload. */
export const COMMIT_PAYLOAD_LENGTH = 48;

const UINT64_MAX = (1n << 64n) - 1n;

function writeUint64LE(out: Uint8Array, offset: number, v: bigint, name: string): void {
  if (v < 0n || v > UINT64_MAX) throw new RangeError(`${name} ${v} outside uint64`);
  let x = v;
  for (let i = 0; i < 8; i++) {
    out[offset + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

/**
 * The 48 bytes a COMMIT vote signs.
 * @throws {RangeError} when the hash is not 32 bytes or a number is outside uint64.
 */
export function commitPayload(blockNumber: bigint, blockHash: Uint8Array, viewId: bigint): Uint8Array {
  if (blockHash.length !== HASH_LENGTH) throw new RangeError(`block hash of ${blockHash.length} bytes, expected ${HASH_LENGTH}`);
  const out = new Uint8Array(COMMIT_PAYLOAD_LENGTH);
  writeUint64LE(out, 0, blockNumber, "block number");
  out.set(blockHash, 8);
  writeUint64LE(out, 40, viewId, "view id");
  return out;
}
