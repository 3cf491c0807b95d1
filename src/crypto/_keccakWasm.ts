/**
 * The WASM Keccak-256 kernel (wasm/keccak): compiled once per thread from the embedded bytes. The
 * input is copied into the kernel's memory and hashed by one call; the memory grows to the largest
 * input seen and never shrinks (the trie and block hashing reuse it at once).
 */
import { KECCAK_WASM_BASE64 } from "./_keccakWasmBinary.ts";

interface KeccakExports {
  memory: WebAssembly.Memory;
  inputPtr(): number;
  outPtr(): number;
  keccak256(len: number): void;
}

const PAGE = 65536;

/**
 * Instantiate the kernel and return its keccak-256 function.
 * @throws {Error} when this runtime cannot compile or instantiate WebAssembly.
 */
export function createWasmKeccak256(): (data: Uint8Array) => Uint8Array {
  const bin = atob(KECCAK_WASM_BASE64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const abort = (): never => {
    throw new Error("keccak kernel aborted");
  };
  const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort } }).exports as unknown as KeccakExports;
  const input = ex.inputPtr();
  const out = ex.outPtr();
  let mem = new Uint8Array(ex.memory.buffer);
  return (data: Uint8Array): Uint8Array => {
    const need = input + data.length;
    if (need > mem.length) {
      ex.memory.grow(Math.ceil((need - mem.length) / PAGE));
      mem = new Uint8Array(ex.memory.buffer);
    }
    mem.set(data, input);
    ex.keccak256(data.length);
    return mem.slice(out, out + 32);
  };
}
