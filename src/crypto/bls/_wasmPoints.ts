/**
 * Sums and verification of decoded herumi points in one wasm stack frame, so that a committee's
 * cached keys are added inside WebAssembly (one call per point) instead of through herumi's JS
 * objects, which copy every operand in and out of wasm memory.
 */
import type { WasmContext } from "./_wasmPairing.ts";

function put(ctx: WasmContext, pos: number, words: Uint32Array): void {
  new Uint32Array(ctx.mod.wasmMemory.buffer, pos, words.length).set(words);
}

function read(ctx: WasmContext, pos: number, size: number): Uint32Array {
  return new Uint32Array(ctx.mod.wasmMemory.buffer, pos, size / 4).slice();
}

function frame<T>(ctx: WasmContext, body: () => T): T {
  const sp = ctx.mod.stackSave();
  try {
    return body();
  } finally {
    ctx.mod.stackRestore(sp);
  }
}

// Σ points into `acc` (size bytes each); `tmp` is scratch space of the same size.
function sumInto(ctx: WasmContext, g: 1 | 2, acc: number, tmp: number, points: readonly Uint32Array[]): void {
  const { mod } = ctx;
  if (g === 1) mod._mclBnG1_clear(acc);
  else mod._mclBnG2_clear(acc);
  for (const p of points) {
    put(ctx, tmp, p);
    if (g === 1) mod._mclBnG1_add(acc, acc, tmp);
    else mod._mclBnG2_add(acc, acc, tmp);
  }
}

/** Σ G1 points; null when the sum is the identity. */
export function sumG1(ctx: WasmContext, points: readonly Uint32Array[]): Uint32Array | null {
  return frame(ctx, () => {
    const acc = ctx.mod.stackAlloc(2 * ctx.g1Size);
    sumInto(ctx, 1, acc, acc + ctx.g1Size, points);
    return ctx.mod._mclBnG1_isZero(acc) === 1 ? null : read(ctx, acc, ctx.g1Size);
  });
}

/** Σ G2 points (the identity included), and whether the sum is in the r-order subgroup. */
export function sumG2(ctx: WasmContext, points: readonly Uint32Array[]): { sum: Uint32Array; subgroup: boolean } {
  return frame(ctx, () => {
    const acc = ctx.mod.stackAlloc(2 * ctx.g2Size);
    sumInto(ctx, 2, acc, acc + ctx.g2Size, points);
    return { sum: read(ctx, acc, ctx.g2Size), subgroup: ctx.mod._mclBnG2_isValidOrder(acc) === 1 };
  });
}

/** Whether one G2 point is in the r-order subgroup. */
export function g2InSubgroup(ctx: WasmContext, point: Uint32Array): boolean {
  return frame(ctx, () => {
    const pos = ctx.mod.stackAlloc(ctx.g2Size);
    put(ctx, pos, point);
    return ctx.mod._mclBnG2_isValidOrder(pos) === 1;
  });
}

/**
 * e(Σ pks, H(message)) = e(g1, Σ sigs): false when Σ pks is the identity (KeyValidate of the
 * aggregate) or, unless `sigChecked`, when Σ sigs is outside the subgroup.
 */
export function verifySumWords(ctx: WasmContext, pks: readonly Uint32Array[], message: Uint8Array, sigs: readonly Uint32Array[], sigChecked: boolean): boolean {
  const { mod, g1Size, g2Size } = ctx;
  return frame(ctx, () => {
    const pk = mod.stackAlloc(2 * g1Size + 2 * g2Size + message.length);
    const sig = pk + 2 * g1Size;
    const msg = sig + 2 * g2Size;
    if (pks.length === 1) put(ctx, pk, pks[0] as Uint32Array);
    else sumInto(ctx, 1, pk, pk + g1Size, pks);
    if (mod._mclBnG1_isZero(pk) === 1) return false;
    if (sigs.length === 1) put(ctx, sig, sigs[0] as Uint32Array);
    else sumInto(ctx, 2, sig, sig + g2Size, sigs);
    if (!sigChecked && mod._mclBnG2_isValidOrder(sig) !== 1) return false;
    new Uint8Array(mod.wasmMemory.buffer, msg, message.length).set(message);
    return mod._blsVerify(sig, pk, msg, message.length) === 1;
  });
}
