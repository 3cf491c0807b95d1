// Admission rules of the pool, one test per TxPoolErrorCode, with go-ethereum's error wording.
import { describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import { bigIntToUnpaddedBytes, bytesToHex, hexToBytes } from "@ethereumjs/util";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { TxPoolError, TxPoolErrorCode } from "../../../src/txpool/index.ts";
import { CHAIN_ID, ETHER, GWEI, addr, codeOf, makePool, rawTx, signTx } from "./_helpers.ts";

const C = TxPoolErrorCode;

async function rejection(p: Promise<unknown>): Promise<TxPoolError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TxPoolError);
    return e as TxPoolError;
  }
  throw new Error("expected a rejection");
}

describe("txpool admission", () => {
  test("accepts legacy EIP-155, EIP-2930 and EIP-1559 transactions and returns hash and sender", async () => {
    const { pool } = makePool();
    for (const [i, type] of ([0, 1, 2] as const).entries()) {
      const tx = signTx({ from: i + 1, nonce: 0, type });
      const res = await pool.add(tx.serialize());
      expect(res).toEqual({ hash: `0x${Buffer.from(tx.hash()).toString("hex")}`, sender: addr(i + 1), pending: true });
      // The hash taken as keccak(raw) at decode equals the hash of the re-encoded transaction.
      expect<string>(bytesToHex(keccak_256((pool.get(res.hash)?.tx as typeof tx).serialize()))).toBe(res.hash);
    }
    expect(pool.status()).toEqual({ pending: 3, queued: 0 });
  });

  test("addTx takes a decoded transaction", async () => {
    const { pool } = makePool();
    const res = await pool.addTx(signTx({ from: 1, nonce: 0, type: 0 }));
    expect(res.sender).toBe(addr(1));
  });

  test("INVALID_RLP: garbage, a bare string, wrong field count, trailing bytes", async () => {
    const { pool } = makePool();
    const good = rawTx({ from: 1, nonce: 0, type: 0 });
    const eightFields = RLP.encode((RLP.decode(good) as Uint8Array[]).slice(0, 8));
    for (const raw of [Uint8Array.of(0xc1, 0xff), Uint8Array.of(0x83, 1, 2, 3), eightFields, Uint8Array.of(...good, 0), new Uint8Array(0)]) {
      expect(await codeOf(pool.add(raw))).toBe(C.INVALID_RLP);
    }
    const e = await rejection(pool.add(Uint8Array.of(0x83, 1, 2, 3)));
    expect(e.message).toStartWith("rlp: ");
    // A zero-padded chain id decodes to the right number but is not canonical.
    const typed = RLP.decode(rawTx({ from: 1, nonce: 0, type: 2 }).subarray(1)) as Uint8Array[];
    typed[0] = Uint8Array.of(0, ...(typed[0] as Uint8Array));
    expect(await codeOf(pool.add(Uint8Array.of(2, ...RLP.encode(typed))))).toBe(C.INVALID_RLP);
  });

  test("TX_TYPE_NOT_SUPPORTED: blob (3), EIP-7702 (4) and unknown types", async () => {
    const { pool } = makePool();
    const body = RLP.encode([bigIntToUnpaddedBytes(CHAIN_ID), new Uint8Array(0)]);
    for (const type of [3, 4, 0x42]) {
      const e = await rejection(pool.add(Uint8Array.of(type, ...body)));
      expect(e.code).toBe(C.TX_TYPE_NOT_SUPPORTED);
      expect(e.message).toBe("transaction type not supported");
    }
  });

  test("OVERSIZED: larger than maxTxBytes (128 KiB by default)", async () => {
    const { pool } = makePool();
    const raw = rawTx({ from: 1, nonce: 0, data: new Uint8Array(129 * 1024).fill(1), gasLimit: 29_000_000n });
    const e = await rejection(pool.add(raw));
    expect(e.code).toBe(C.OVERSIZED);
    expect(e.message).toStartWith("oversized data");
  });

  test("UNPROTECTED: pre-EIP-155 legacy tx unless allowUnprotected", async () => {
    const spec = { from: 1, nonce: 0, type: 0 as const, hardfork: "homestead" };
    expect(signTx(spec).v).toBe(27n);
    const e = await rejection(makePool().pool.add(rawTx(spec)));
    expect(e.code).toBe(C.UNPROTECTED);
    expect(e.message).toBe("only replay-protected (EIP-155) transactions allowed over RPC");
    const res = await makePool({ allowUnprotected: true }).pool.add(rawTx(spec));
    expect(res.sender).toBe(addr(1));
  });

  test("WRONG_CHAIN_ID: legacy and typed transactions for another chain", async () => {
    const { pool } = makePool();
    for (const type of [0, 1, 2] as const) {
      const e = await rejection(pool.add(rawTx({ from: 1, nonce: 0, type, chainId: 1n })));
      expect(e.code).toBe(C.WRONG_CHAIN_ID);
      expect(e.message).toBe("invalid sender: invalid chain id for signer: have 1 want 31337");
    }
  });

  test("INVALID_SIGNATURE: unrecoverable r, zero r, high s, bad y parity", async () => {
    const { pool } = makePool();
    const fields = RLP.decode(rawTx({ from: 1, nonce: 0, type: 0 })) as Uint8Array[];
    const withRS = (r: bigint, s?: bigint) => {
      const f = [...fields];
      f[7] = bigIntToUnpaddedBytes(r);
      if (s !== undefined) f[8] = bigIntToUnpaddedBytes(s);
      return RLP.encode(f);
    };
    // x = 5 is not the x-coordinate of any secp256k1 point (5³ + 7 is a non-residue mod p).
    const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    for (const raw of [withRS(5n), withRS(0n), withRS(1n, N - 1n)]) {
      const e = await rejection(pool.add(raw));
      expect(e.code).toBe(C.INVALID_SIGNATURE);
      expect(e.message).toStartWith("invalid sender");
    }
    const typed = RLP.decode(rawTx({ from: 1, nonce: 0, type: 2 }).subarray(1)) as Uint8Array[];
    typed[9] = Uint8Array.of(2);
    expect(await codeOf(pool.add(Uint8Array.of(2, ...RLP.encode(typed))))).toBe(C.INVALID_SIGNATURE);
    expect(pool.status()).toEqual({ pending: 0, queued: 0 });
  });

  test("MAX_INITCODE_SIZE_EXCEEDED: contract creation with initcode over 49152 bytes (EIP-3860)", async () => {
    const { pool } = makePool();
    const data = new Uint8Array(49153).fill(1);
    const e = await rejection(pool.add(rawTx({ from: 1, nonce: 0, to: null, data, gasLimit: 2_000_000n, allowUnlimitedInitCodeSize: true })));
    expect(e.code).toBe(C.MAX_INITCODE_SIZE_EXCEEDED);
    expect(e.message).toBe("max initcode size exceeded: code size 49153, limit 49152");
  });

  test("GAS_LIMIT_EXCEEDED: more gas than a block holds", async () => {
    const e = await rejection(makePool({ blockGasLimit: 1_000_000n }).pool.add(rawTx({ from: 1, nonce: 0, gasLimit: 1_000_001n })));
    expect(e.code).toBe(C.GAS_LIMIT_EXCEEDED);
    expect(e.message).toBe("exceeds block gas limit");
  });

  test("TIP_ABOVE_FEE_CAP: maxPriorityFeePerGas > maxFeePerGas", async () => {
    const typed = RLP.decode(rawTx({ from: 1, nonce: 0, type: 2 }).subarray(1)) as Uint8Array[];
    typed[2] = bigIntToUnpaddedBytes(5n * GWEI);
    typed[3] = bigIntToUnpaddedBytes(4n * GWEI);
    const e = await rejection(makePool().pool.add(Uint8Array.of(2, ...RLP.encode(typed))));
    expect(e.code).toBe(C.TIP_ABOVE_FEE_CAP);
    expect(e.message).toStartWith("max priority fee per gas higher than max fee per gas");
  });

  test("UNDERPRICED: gas price or max fee below the minimum", async () => {
    const { pool } = makePool({ minGasPrice: 100n * GWEI });
    for (const type of [0, 2] as const) {
      const e = await rejection(pool.add(rawTx({ from: 1, nonce: 0, type, price: 99n * GWEI })));
      expect(e.code).toBe(C.UNDERPRICED);
      expect(e.message).toStartWith("transaction underpriced");
    }
  });

  test("INTRINSIC_GAS_TOO_LOW: calldata, access list and creation costs", async () => {
    const { pool } = makePool();
    const cases = [
      { from: 1, nonce: 0, data: Uint8Array.of(1), gasLimit: 21015n },
      { from: 1, nonce: 0, to: null, gasLimit: 52999n },
      { from: 1, nonce: 0, type: 1 as const, accessList: [{ address: addr(9), storageKeys: [] }], gasLimit: 23399n },
    ];
    for (const spec of cases) {
      const e = await rejection(pool.add(rawTx(spec)));
      expect(e.code).toBe(C.INTRINSIC_GAS_TOO_LOW);
      expect(e.message).toStartWith("intrinsic gas too low");
    }
    expect((await pool.add(rawTx({ from: 1, nonce: 0, data: Uint8Array.of(1), gasLimit: 21016n }))).pending).toBe(true);
  });

  test("ALREADY_KNOWN: the same transaction twice", async () => {
    const { pool } = makePool();
    const raw = rawTx({ from: 1, nonce: 0 });
    await pool.add(raw);
    const e = await rejection(pool.add(raw));
    expect(e.code).toBe(C.ALREADY_KNOWN);
    expect(e.message).toBe("already known");
  });

  test("NONCE_TOO_LOW: below the sender's state nonce", async () => {
    const { pool, state } = makePool();
    state.set(1, { nonce: 5n });
    const e = await rejection(pool.add(rawTx({ from: 1, nonce: 4 })));
    expect(e.code).toBe(C.NONCE_TOO_LOW);
    expect(e.message).toBe(`nonce too low: address ${addr(1)}, tx: 4 state: 5`);
  });

  test("NONCE_TOO_HIGH_GAP: further ahead than accountQueue", async () => {
    const { pool } = makePool({ accountQueue: 4 });
    expect((await pool.add(rawTx({ from: 1, nonce: 4 }))).pending).toBe(false);
    const e = await rejection(pool.add(rawTx({ from: 1, nonce: 5 })));
    expect(e.code).toBe(C.NONCE_TOO_HIGH_GAP);
    expect(e.message).toStartWith("nonce too high");
  });

  test("INSUFFICIENT_FUNDS: balance below value + gasLimit * price", async () => {
    const { pool, state } = makePool();
    const cost = 1n * ETHER + 21000n * 2n * GWEI;
    state.set(1, { balance: cost - 1n });
    const e = await rejection(pool.add(rawTx({ from: 1, nonce: 0, value: 1n * ETHER })));
    expect(e.code).toBe(C.INSUFFICIENT_FUNDS);
    expect(e.message).toBe(`insufficient funds for gas * price + value: balance ${cost - 1n}, tx cost ${cost}, overshot 1`);
    state.set(1, { balance: cost });
    expect((await pool.add(rawTx({ from: 1, nonce: 0, value: 1n * ETHER }))).pending).toBe(true);
  });

  test("errors serialize with their code and metadata", async () => {
    const { pool, state } = makePool();
    state.set(1, { nonce: 2n });
    const e = await rejection(pool.add(rawTx({ from: 1, nonce: 1 })));
    expect(e.toObject()).toEqual({
      message: `nonce too low: address ${addr(1)}, tx: 1 state: 2`,
      code: C.NONCE_TOO_LOW,
      sender: addr(1),
      nonce: "1",
      stateNonce: "2",
    });
  });

  test("a rejected transaction leaves no trace in the pool", async () => {
    const { pool, state } = makePool();
    state.set(1, { balance: 0n });
    const raw = rawTx({ from: 1, nonce: 0 });
    await codeOf(pool.add(raw));
    expect(pool.status()).toEqual({ pending: 0, queued: 0 });
    expect(pool.content()).toEqual({ pending: {}, queued: {} });
    expect(pool.getPendingNonce(hexToBytes(addr(1)))).toBeUndefined();
  });
});
