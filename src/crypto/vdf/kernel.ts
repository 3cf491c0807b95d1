/**
 * Typed handle on one instance of the WASM VDF kernel (wasm/vdf): 2048-bit Montgomery arithmetic
 * on numbered residue slots. The module is compiled once per thread from the embedded bytes; each
 * kernel has its own linear memory, so concurrent evaluations use separate kernels.
 */
import { VDF_WASM_BASE64 } from "./_vdfWasm.ts";
import { VDFError, VDFErrorCode } from "./errors.ts";
import { RSA_2048_MODULUS } from "./modulus.ts";

interface KernelExports {
  memory: WebAssembly.Memory;
  ioPtr(): number;
  ioWords(): number;
  slotPtr(i: number): number;
  slotCount(): number;
  ensureSlots(n: number): number;
  setModulus(): number;
  loadSlot(i: number): void;
  storeSlot(i: number): void;
  copySlot(d: number, s: number): void;
  setOne(d: number): void;
  sqrN(i: number, count: number): void;
  sqrNSave(i: number, count: number, every: number, phase: number, save: number): number;
  mulSlots(d: number, a: number, b: number): void;
  powSlot(d: number, base: number, nbits: number): void;
}

// Inputs and exponents the host passes must fit in 2048 bits (the kernel accepts a little more).
const MAX_INPUT_BITS = 2048;
/** Largest squaring count of one kernel call (the kernel takes a u32). */
const MAX_SQUARINGS_PER_CALL = 0xffffffff;

let compiled: WebAssembly.Module | undefined;

function kernelModule(): WebAssembly.Module {
  if (compiled) return compiled;
  try {
    const bin = atob(VDF_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
    return compiled;
  } catch (e) {
    throw new VDFError({ code: VDFErrorCode.KERNEL_UNAVAILABLE, reason: String(e) }, "cannot compile the VDF kernel", { cause: e });
  }
}

/** One kernel instance bound to a modulus. Values cross the boundary as bigint. */
export class VDFKernel {
  /** The modulus N (results of `read` are in [0, N)). */
  readonly modulus: bigint;
  private readonly ex: KernelExports;
  private readonly ioWords: number;
  private words: Uint32Array;

  private constructor(ex: KernelExports, modulus: bigint) {
    this.ex = ex;
    this.modulus = modulus;
    this.ioWords = ex.ioWords();
    this.words = new Uint32Array(ex.memory.buffer);
  }

  /**
   * Instantiate a kernel for an odd modulus 2^64 < N < 2^2048 (default RSA-2048).
   * @throws {RangeError} when the modulus is out of range or even.
   * @throws {VDFError} KERNEL_UNAVAILABLE when WebAssembly (with SIMD) is unavailable.
   */
  static create(modulus: bigint = RSA_2048_MODULUS): VDFKernel {
    if (typeof modulus !== "bigint" || modulus <= 1n << 64n || modulus >= 1n << 2048n || (modulus & 1n) === 0n) {
      throw new RangeError("VDF modulus must be odd and between 2^64 and 2^2048");
    }
    let ex: KernelExports;
    try {
      ex = new WebAssembly.Instance(kernelModule(), {}).exports as unknown as KernelExports;
    } catch (e) {
      if (e instanceof VDFError) throw e;
      throw new VDFError({ code: VDFErrorCode.KERNEL_UNAVAILABLE, reason: String(e) }, "cannot instantiate the VDF kernel", { cause: e });
    }
    const kernel = new VDFKernel(ex, modulus);
    kernel.writeIO(modulus);
    if (!ex.setModulus()) {
      throw new VDFError({ code: VDFErrorCode.KERNEL_UNAVAILABLE, reason: "modulus rejected" }, "the VDF kernel rejected the modulus");
    }
    kernel.ensureSlots(4);
    return kernel;
  }

  /**
   * Make slots [0, n) available.
   * @throws {VDFError} OUT_OF_MEMORY when linear memory cannot grow.
   */
  ensureSlots(n: number): void {
    if (!this.ex.ensureSlots(n)) throw new VDFError({ code: VDFErrorCode.OUT_OF_MEMORY, slots: n }, `cannot allocate ${n} VDF slots`);
  }

  /** Slot i = x (0 ≤ x < 2^2048), in Montgomery form. */
  load(i: number, x: bigint): void {
    this.checkSlot(i);
    if (x < 0n || x >= 1n << BigInt(MAX_INPUT_BITS)) throw new RangeError("VDF kernel input out of range");
    this.writeIO(x);
    this.ex.loadSlot(i);
  }

  /** The value of slot i, in [0, N). */
  read(i: number): bigint {
    this.checkSlot(i);
    this.ex.storeSlot(i);
    return this.readIO() % this.modulus;
  }

  /** Slot i = slot i ^ (2^count). */
  square(i: number, count: number): void {
    this.checkSlot(i);
    if (!Number.isInteger(count) || count < 0 || count > MAX_SQUARINGS_PER_CALL) throw new RangeError("bad squaring count");
    if (count > 0) this.ex.sqrN(i, count);
  }

  /** Slot d = slot a · slot b. */
  mul(d: number, a: number, b: number): void {
    this.checkSlot(d);
    this.checkSlot(a);
    this.checkSlot(b);
    this.ex.mulSlots(d, a, b);
  }

  /** Slot d = slot base ^ e (0 ≤ e < 2^2048). */
  pow(d: number, base: number, e: bigint): void {
    this.checkSlot(d);
    this.checkSlot(base);
    if (e < 0n || e >= 1n << BigInt(MAX_INPUT_BITS)) throw new RangeError("VDF exponent out of range");
    this.writeIO(e);
    this.ex.powSlot(d, base, e === 0n ? 0 : e.toString(2).length);
  }

  /** Slot d = slot s. */
  copy(d: number, s: number): void {
    this.checkSlot(d);
    this.checkSlot(s);
    this.ex.copySlot(d, s);
  }

  /** Slot d = 1. */
  setOne(d: number): void {
    this.checkSlot(d);
    this.ex.setOne(d);
  }

  /**
   * Square slot i `count` times, first copying it to slots save, save + 1, … before every squaring
   * whose index (with `phase` squarings already done) is a multiple of `every`. Returns the next
   * free save slot.
   */
  squareSaving(i: number, count: number, every: number, phase: number, save: number): number {
    this.checkSlot(i);
    if (!Number.isInteger(count) || count < 0 || count > MAX_SQUARINGS_PER_CALL) throw new RangeError("bad squaring count");
    if (!Number.isInteger(every) || every < 1 || every > MAX_SQUARINGS_PER_CALL) throw new RangeError("bad checkpoint interval");
    if (!Number.isInteger(phase) || phase < 0) throw new RangeError("bad checkpoint phase");
    const first = (every - (phase % every)) % every;
    const saves = count > first ? Math.ceil((count - first) / every) : 0;
    if (saves > 0) {
      this.checkSlot(save);
      this.checkSlot(save + saves - 1);
    }
    return this.ex.sqrNSave(i, count, every, phase, save);
  }

  private checkSlot(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.ex.slotCount()) throw new RangeError(`VDF slot ${i} not allocated`);
  }

  private view(): Uint32Array {
    if (this.words.buffer !== this.ex.memory.buffer) this.words = new Uint32Array(this.ex.memory.buffer);
    return this.words;
  }

  private writeIO(x: bigint): void {
    const w = this.view();
    const p = this.ex.ioPtr() >>> 2;
    const hex = x.toString(16).padStart(8 * this.ioWords, "0");
    const end = hex.length;
    for (let k = 0; k < this.ioWords; k++) w[p + k] = parseInt(hex.slice(end - 8 * (k + 1), end - 8 * k), 16);
  }

  private readIO(): bigint {
    const w = this.view();
    const p = this.ex.ioPtr() >>> 2;
    let hex = "";
    for (let k = this.ioWords - 1; k >= 0; k--) hex += (w[p + k] ?? 0).toString(16).padStart(8, "0");
    return BigInt(`0x${hex}`);
  }
}
