// transactionSigningHash (cut from the canonical encoding) equals the library's getHashedMessageToSign
// (EIP-155, EIP-2718/2930/1559) for random transactions of every accepted type, including unprotected
// legacy ones, contract creations, long data and access lists.
import { describe, expect, test } from "bun:test";
import { createTx } from "@ethereumjs/tx";
import { createChainCommon, decodeTransaction, encodeTransaction, transactionSigningHash } from "../../../src/core/index.ts";
import { keccak256 } from "../../../src/crypto/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0);
}

describe("transaction signing hash", () => {
  test("equals the library's for 300 random transactions of types 0 (EIP-155 and unprotected), 1 and 2", () => {
    const r = rng(7);
    const common = createChainCommon(31337n);
    const homestead = common.copy();
    homestead.setHardfork("homestead");
    const key = keccak256(Uint8Array.of(1, 2, 3));
    const big = (bytes: number) => {
      let v = 0n;
      for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(r() & 255);
      return v;
    };
    for (let i = 0; i < 300; i++) {
      const type = i % 4 === 3 ? 0 : i % 3;
      const data = new Uint8Array(r() % 3 === 0 ? 0 : r() % 200).map(() => r() & 255);
      const to = r() % 7 === 0 ? undefined : new Uint8Array(20).map(() => r() & 255);
      const accessList = type === 0 || r() % 2 ? [] : [{ address: `0x${"ab".repeat(20)}`, storageKeys: [`0x${"cd".repeat(32)}`] }];
      const base = { nonce: big(r() % 4), gasLimit: 21_000n + big(r() % 3), to, value: big(r() % 12), data };
      const fields = type === 2 ? { ...base, type, chainId: 31337n, maxFeePerGas: big(5), maxPriorityFeePerGas: big(r() % 5), accessList } : type === 1 ? { ...base, type, chainId: 31337n, gasPrice: big(5), accessList } : { ...base, type, gasPrice: big(5) };
      // every other legacy one unprotected (v = 27 | 28): signed under a hardfork before EIP-155
      const unprotected = type === 0 && i % 8 === 3;
      const signed = createTx(fields as never, { common: unprotected ? homestead : common }).sign(key);
      if (type === 0) expect(signed.v === 27n || signed.v === 28n).toBe(unprotected);
      const raw = signed.serialize();
      const tx = decodeTransaction(raw, common);
      expect(bytesToHex(encodeTransaction(tx))).toBe(bytesToHex(raw));
      expect(bytesToHex(transactionSigningHash(tx))).toBe(bytesToHex(tx.getHashedMessageToSign()));
    }
  });
});
