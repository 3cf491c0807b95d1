// Codecs of src/core: header/block/receipt round trips, hash stability, bloom, tx decode errors.
import { describe, expect, test } from "bun:test";
import { createTx } from "@ethereumjs/tx";
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";
import {
  BlockError,
  BlockErrorCode,
  DEV_ACCOUNTS,
  DEV_CHAIN_CONFIG,
  TransactionError,
  TransactionErrorCode,
  bloomContains,
  computeLogsBloom,
  computeTxRoot,
  createBlock,
  createChainCommon,
  createHeader,
  createReceipt,
  decodeBlock,
  decodeHeader,
  decodeReceipt,
  decodeTransaction,
  encodeReceipt,
  createShardCommon,
  type SignedTransaction,
  bigintToBytes,
  bytesToBigint,
} from "../../../src/core/index.ts";

const common = createShardCommon(DEV_CHAIN_CONFIG, 0);
const key = hexToBytes(DEV_ACCOUNTS[0]!.privateKey);

function signedTx(type: 0 | 1 | 2, nonce: bigint) {
  const base = { nonce, gasLimit: 21000n, to: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", value: 5n, data: "0x" } as const;
  const fee = type === 2 ? { maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n } : { gasPrice: 1_000_000_000n };
  return createTx({ ...base, ...fee, type, ...(type > 0 ? { chainId: 31337n, accessList: [] } : {}) }, { common }).sign(key) as SignedTransaction;
}

describe("header", () => {
  const h = createHeader({
    number: 7n,
    shardId: 1,
    epoch: 2n,
    viewId: 9n,
    timestamp: 1_700_000_000n,
    gasLimit: 30_000_000n,
    gasUsed: 21000n,
    baseFeePerGas: 1_000_000_000n,
    extraData: new TextEncoder().encode("x"),
    parentHash: new Uint8Array(32).fill(1),
    coinbase: new Uint8Array(20).fill(2),
    lastCommitSig: new Uint8Array(96).fill(3),
    lastCommitBitmap: Uint8Array.of(0x0f),
    vrf: new Uint8Array(128).fill(4),
    vdf: Uint8Array.of(5, 6),
  });

  test("round trip through RLP keeps every field and the hash", () => {
    const d = decodeHeader(h.encoded);
    expect(bytesToHex(d.hash)).toBe(bytesToHex(h.hash));
    expect(d.toData()).toEqual(h.toData());
    expect(Object.isFrozen(d)).toBe(true);
  });

  test("hash is stable (regression pin of the field order)", () => {
    expect(bytesToHex(h.hash)).toBe("0xfa94623a95a56e9b574d38650f3a8d118916ae407bd4e9fc02305e21fa07537c");
  });

  test("validateBasic rejects gasUsed over the limit and long extraData", () => {
    expect(() => createHeader({ gasLimit: 1n, gasUsed: 2n }).validateBasic()).toThrow(BlockError);
    const longExtra = () => createHeader({ extraData: new Uint8Array(33) }).validateBasic();
    expect(longExtra).toThrow(BlockError);
    expect(longExtra).toThrow(expect.objectContaining({ type: expect.objectContaining({ code: BlockErrorCode.INVALID_HEADER, field: "extraData" }) }));
  });

  test("wrong fixed lengths are rejected on construction and decode", () => {
    expect(() => createHeader({ lastCommitSig: new Uint8Array(95) })).toThrow(RangeError);
    const items = RLP.decode(h.encoded) as Uint8Array[];
    items[0] = new Uint8Array(31);
    expect(() => decodeHeader(RLP.encode(items))).toThrow(BlockError);
    expect(() => decodeHeader(Uint8Array.of(0xc1))).toThrow(BlockError);
  });
});

describe("block and transactions", () => {
  test("block with legacy, 2930 and 1559 txs round trips; tx root is order-sensitive", () => {
    const txs = [signedTx(0, 0n), signedTx(1, 1n), signedTx(2, 2n)];
    const header = createHeader({ number: 1n, txRoot: computeTxRoot(txs) });
    const block = createBlock(header, txs);
    const back = decodeBlock(block.encode(), common);
    expect(bytesToHex(back.hash)).toBe(bytesToHex(block.hash));
    expect(back.transactions.map((t) => bytesToHex(t.hash()))).toEqual(txs.map((t) => bytesToHex(t.hash())));
    expect(bytesToHex(computeTxRoot([...txs].reverse()))).not.toBe(bytesToHex(header.txRoot));
  });

  test("decode errors are typed", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof TransactionError ? e.code : `untyped: ${e}`;
      }
      return "no error";
    };
    expect(code(() => decodeTransaction(Uint8Array.of(0xc0), common))).toBe(TransactionErrorCode.MALFORMED);
    expect(code(() => decodeTransaction(Uint8Array.of(3, 0xc0), common))).toBe(TransactionErrorCode.UNSUPPORTED_TYPE);
    const other = createTx({ type: 2, nonce: 0n, gasLimit: 21000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, chainId: 1n }, { common: createChainCommon(1n) }).sign(key);
    expect(code(() => decodeTransaction(other.serialize(), common))).toBe(TransactionErrorCode.WRONG_CHAIN_ID);
    const legacyOther = createTx({ nonce: 0n, gasLimit: 21000n, gasPrice: 1n }, { common: createChainCommon(5n) }).sign(key);
    expect(code(() => decodeTransaction(legacyOther.serialize(), common))).toBe(TransactionErrorCode.WRONG_CHAIN_ID);
    const fields = RLP.decode(signedTx(2, 0n).serialize().subarray(1)) as Uint8Array[];
    fields[11] = new Uint8Array(32).fill(0xff); // s ≥ n/2: high-s, rejected by EIP-2
    const highS = Uint8Array.of(2, ...RLP.encode(fields));
    expect(code(() => decodeTransaction(highS, common))).toBe(TransactionErrorCode.INVALID_SIGNATURE);
    const unsigned = createTx({ type: 2, nonce: 0n, gasLimit: 21000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, chainId: 31337n }, { common });
    expect(code(() => decodeTransaction(unsigned.serialize(), common))).toBe(TransactionErrorCode.INVALID_SIGNATURE);
    // The checks the txpool relies on live in this one decoder too.
    expect(code(() => decodeTransaction(Uint8Array.of(0x83, 1, 2, 3), common))).toBe(TransactionErrorCode.MALFORMED);
    const homestead = createTx({ nonce: 0n, gasLimit: 21000n, gasPrice: 1n }, { common: createChainCommon(31337n).copy() }).sign(key);
    homestead.common.setHardfork("homestead");
    const preEIP155 = createTx({ nonce: 0n, gasLimit: 21000n, gasPrice: 1n }, { common: homestead.common }).sign(key);
    expect(preEIP155.v === 27n || preEIP155.v === 28n).toBe(true);
    expect(code(() => decodeTransaction(preEIP155.serialize(), common, { allowUnprotected: false }))).toBe(TransactionErrorCode.UNPROTECTED);
    expect(decodeTransaction(preEIP155.serialize(), common).v).toBe(preEIP155.v); // valid in blocks
    const typed = RLP.decode(signedTx(2, 0n).serialize().subarray(1)) as Uint8Array[];
    typed[2] = Uint8Array.of(9);
    typed[3] = Uint8Array.of(8); // tip 9 > fee cap 8
    expect(code(() => decodeTransaction(Uint8Array.of(2, ...RLP.encode(typed)), common))).toBe(TransactionErrorCode.TIP_ABOVE_FEE_CAP);
    const create = createTx({ type: 2, nonce: 0n, gasLimit: 3_000_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, chainId: 31337n, data: new Uint8Array(49153) }, { common: createChainCommon(31337n), allowUnlimitedInitCodeSize: true }).sign(key);
    expect(code(() => decodeTransaction(create.serialize(), common))).toBe(TransactionErrorCode.INITCODE_TOO_LARGE);
  });
});

describe("integers", () => {
  test("bigintToBytes is minimal big-endian and round trips around the 2^53 boundary", () => {
    for (const n of [0n, 1n, 255n, 256n, 65535n, 2n ** 52n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n, 10n ** 24n, 2n ** 256n - 1n]) {
      const b = bigintToBytes(n);
      expect(bytesToBigint(b)).toBe(n);
      if (n > 0n) expect(b[0]).not.toBe(0);
      expect(b.length).toBe(n === 0n ? 0 : Math.ceil(n.toString(16).length / 2));
    }
  });
});

describe("receipts and bloom", () => {
  const log = { address: new Uint8Array(20).fill(9), topics: [new Uint8Array(32).fill(1)], data: Uint8Array.of(1, 2) };

  test("legacy and typed receipts round trip; typed ones carry the type byte", () => {
    for (const type of [0, 1, 2]) {
      const r = createReceipt({ type, status: 1, cumulativeGasUsed: 50_000n, logs: [log] });
      const enc = encodeReceipt(r);
      expect(enc[0]).toBe(type === 0 ? 0xf9 : type);
      const back = decodeReceipt(enc);
      expect(back).toEqual(r);
    }
    expect(decodeReceipt(encodeReceipt(createReceipt({ type: 2, status: 0, cumulativeGasUsed: 0n, logs: [] }))).status).toBe(0);
  });

  test("bloom contains the address and topics of its logs, and not others", () => {
    const bloom = computeLogsBloom([log]);
    expect(bloomContains(bloom, log.address)).toBe(true);
    expect(bloomContains(bloom, log.topics[0]!)).toBe(true);
    expect(bloomContains(bloom, new Uint8Array(20).fill(7))).toBe(false);
    // Yellow Paper: 3 bits per item, so at most 6 bits for one address and one topic
    let bits = 0;
    for (const b of bloom) for (let i = 0; i < 8; i++) bits += (b >> i) & 1;
    expect(bits).toBeGreaterThan(0);
    expect(bits).toBeLessThanOrEqual(6);
  });
});
