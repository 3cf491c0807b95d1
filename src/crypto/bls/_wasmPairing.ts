/**
 * Pairing-level operations on herumi's wasm exports, for what its high-level API cannot express:
 * hashing with an arbitrary DST (proof of possession), aggregate verification of messages of any
 * length, and random-linear-combination batch verification of messages of any length.
 * Values are copied onto the wasm stack in bounded chunks so that no input size can overflow it.
 */
import { BLSError, BLSErrorCode } from "./errors.ts";
import type { HerumiLib, HerumiModule } from "./_wasmLib.ts";

/** Pairs per wasm stack frame: 64 × (144 + 288 + 32) bytes stays far below the 1 MiB stack. */
const CHUNK = 64;
/** Bytes of randomness per set in batch verification (64-bit scalars, as blst and Lodestar). */
const RAND_SIZE = 8;

/** Herumi plus the sizes of its internal point representations and −g1, computed once. */
export interface WasmContext {
  lib: HerumiLib;
  mod: HerumiModule;
  /** Bytes of an `mclBnG1` (public key), `mclBnG2` (signature) and `mclBnGT`. */
  g1Size: number;
  g2Size: number;
  gtSize: number;
  negG1Generator: Uint32Array;
}

function frame<T>(mod: HerumiModule, body: () => T): T {
  const sp = mod.stackSave();
  try {
    return body();
  } finally {
    mod.stackRestore(sp);
  }
}

function putWords(mod: HerumiModule, pos: number, words: Uint32Array): void {
  new Uint32Array(mod.wasmMemory.buffer, pos, words.length).set(words);
}

function allocBytes(mod: HerumiModule, bytes: Uint8Array): number {
  const pos = mod.stackAlloc(bytes.length);
  new Uint8Array(mod.wasmMemory.buffer, pos, bytes.length).set(bytes);
  return pos;
}

function readWords(mod: HerumiModule, pos: number, size: number): Uint32Array {
  return new Uint32Array(mod.wasmMemory.buffer, pos, size / 4).slice();
}

/** Build the context of an initialised herumi module. */
export function createWasmContext(lib: HerumiLib): WasmContext {
  const mod = lib.mod;
  const gen = lib.getGeneratorOfPublicKey();
  const g1Size = gen.a_.length * 4;
  const g2Size = new lib.Signature().a_.length * 4;
  const gtSize = 12 * (g1Size / 3); // Fp12 = 12 Fp; a G1 point is 3 Fp (Jacobian)
  const negG1Generator = frame(mod, () => {
    const pos = mod.stackAlloc(2 * g1Size);
    putWords(mod, pos, gen.a_);
    mod._mclBnG1_neg(pos + g1Size, pos);
    return readWords(mod, pos + g1Size, g1Size);
  });
  return { lib, mod, g1Size, g2Size, gtSize, negG1Generator };
}

/**
 * hash_to_curve(message) in G2 with the given DST (RFC 9380, BLS12381G2_XMD:SHA-256_SSWU_RO_).
 * @throws {BLSError} BACKEND_FAILURE if herumi rejects the DST (longer than 255 bytes).
 */
export function hashToG2(ctx: WasmContext, message: Uint8Array, dst: Uint8Array): Uint32Array {
  const { mod } = ctx;
  return frame(mod, () => {
    const out = mod.stackAlloc(ctx.g2Size);
    const msgPos = allocBytes(mod, message);
    const dstPos = allocBytes(mod, dst);
    if (mod._mclBnG2_hashAndMapToWithDst(out, msgPos, message.length, dstPos, dst.length) !== 0) {
      throw new BLSError({ code: BLSErrorCode.BACKEND_FAILURE, backend: "wasm", operation: "hashAndMapToWithDst" });
    }
    return readWords(mod, out, ctx.g2Size);
  });
}

/** Constant-time scalar multiplication of a G2 point by a secret key's scalar. */
export function mulG2(ctx: WasmContext, point: Uint32Array, scalar: Uint32Array): Uint32Array {
  const { mod, g2Size } = ctx;
  return frame(mod, () => {
    const p = mod.stackAlloc(2 * g2Size + scalar.length * 4);
    putWords(mod, p, point);
    putWords(mod, p + 2 * g2Size, scalar);
    mod._mclBnG2_mulCT(p + g2Size, p, p + 2 * g2Size);
    return readWords(mod, p + g2Size, g2Size);
  });
}

/** True when ∏ e(g1s[i], g2s[i]) is the identity of GT (one final exponentiation). */
export function pairingProductIsOne(ctx: WasmContext, g1s: Uint32Array[], g2s: Uint32Array[]): boolean {
  const { mod, g1Size, g2Size, gtSize } = ctx;
  return frame(mod, () => {
    const acc = mod.stackAlloc(gtSize);
    mod._mclBnGT_setInt32(acc, 1);
    for (let start = 0; start < g1s.length; start += CHUNK) {
      const n = Math.min(CHUNK, g1s.length - start);
      frame(mod, () => {
        const gt = mod.stackAlloc(gtSize + n * (g1Size + g2Size));
        const p1 = gt + gtSize;
        const p2 = p1 + n * g1Size;
        for (let i = 0; i < n; i++) {
          putWords(mod, p1 + i * g1Size, g1s[start + i] as Uint32Array);
          putWords(mod, p2 + i * g2Size, g2s[start + i] as Uint32Array);
        }
        mod._mclBn_millerLoopVec(gt, p1, p2, n);
        mod._mclBnGT_mul(acc, acc, gt);
      });
    }
    const out = mod.stackAlloc(gtSize);
    mod._mclBn_finalExp(out, acc);
    return mod._mclBnGT_isOne(out) === 1;
  });
}

/**
 * herumi `blsMultiVerify` over sets whose messages all have `msgSize` bytes: checks
 * e(g1, Σ rᵢσᵢ) = ∏ e(rᵢPKᵢ, H(mᵢ)) with fresh non-zero 64-bit rᵢ, chunk by chunk.
 */
export function multiVerifySameLength(
  ctx: WasmContext,
  sets: { pub: Uint32Array; sig: Uint32Array; msg: Uint8Array }[],
  msgSize: number,
): boolean {
  const { mod, g1Size, g2Size } = ctx;
  for (let start = 0; start < sets.length; start += CHUNK) {
    const n = Math.min(CHUNK, sets.length - start);
    const ok = frame(mod, () => {
      const sigPos = mod.stackAlloc(n * (g2Size + g1Size + msgSize + RAND_SIZE));
      const pubPos = sigPos + n * g2Size;
      const msgPos = pubPos + n * g1Size;
      const randPos = msgPos + n * msgSize;
      const heap = new Uint8Array(mod.wasmMemory.buffer);
      for (let i = 0; i < n; i++) {
        const set = sets[start + i] as (typeof sets)[number];
        putWords(mod, sigPos + i * g2Size, set.sig);
        putWords(mod, pubPos + i * g1Size, set.pub);
        heap.set(set.msg, msgPos + i * msgSize);
        const rand = heap.subarray(randPos + i * RAND_SIZE, randPos + (i + 1) * RAND_SIZE);
        do crypto.getRandomValues(rand);
        while (rand.every((b) => b === 0)); // herumi requires non-zero scalars
      }
      return mod._blsMultiVerify(sigPos, pubPos, msgPos, msgSize, randPos, RAND_SIZE, n, 0) === 1;
    });
    if (!ok) return false;
  }
  return true;
}
