/**
 * `make bench txpool`: admission rate of the transaction pool for pre-signed EIP-1559 transfers from
 * many senders, against the raw secp256k1 sender-recovery rate measured in the same run (the
 * baseline, and the cost admission cannot avoid). "recovery share" = baseline µs / row µs: the part
 * of each admission spent recovering the sender, taken per round so that load drift cancels. Each measured path is checked to accept (or, for
 * the duplicate row, to reject with ALREADY_KNOWN) every transaction before it is timed.
 */
import { Hardfork, Mainnet, createCustomCommon } from "@ethereumjs/common";
import { createFeeMarket1559Tx } from "@ethereumjs/tx";
import { bigIntToUnpaddedBytes, bytesToHex, ecrecover } from "@ethereumjs/util";
import {
  type PoolStateReader,
  type TxPool,
  TxPoolError,
  TxPoolErrorCode,
  createTxPool,
  recoverSender,
} from "../../src/txpool/index.ts";
import { decodeTransaction } from "../../src/core/index.ts";
import { printTable, timeIt } from "./_table.ts";

const SENDERS = 750;
const PER_SENDER = 2;
const N = SENDERS * PER_SENDER;
const CHAIN_ID = 31337n;
const GWEI = 10n ** 9n;
const RUNS = { minMs: 1, minIters: 2 };
const ONCE = { minMs: 1, minIters: 1 };
const ROUNDS = 3;
const common = createCustomCommon({ chainId: CHAIN_ID.toString() }, Mainnet, { hardfork: Hardfork.Cancun });

/** Every account at nonce 0 with plenty of funds: the head state of the benchmark. */
const state: PoolStateReader = { getNonce: () => 0n, getBalance: () => 10n ** 24n, nextBaseFee: () => GWEI };

function keyOf(i: number): Uint8Array {
  const k = new Uint8Array(32);
  new DataView(k.buffer).setUint32(28, i + 1);
  return k;
}

function signTransfers() {
  const txs = [];
  for (let n = 0; n < PER_SENDER; n++) {
    for (let s = 0; s < SENDERS; s++) {
      const price = (2n + BigInt((s * 7919 + n) % 97)) * GWEI; // spread prices so ordering and eviction have work
      const data = { nonce: BigInt(n), maxFeePerGas: price, maxPriorityFeePerGas: price, gasLimit: 21000n, to: `0x${"22".repeat(20)}` as const, value: 1n };
      txs.push(createFeeMarket1559Tx(data, { common }).sign(keyOf(s)));
    }
  }
  return txs;
}

function newPool(globalSlots = 5120): TxPool {
  return createTxPool({ chainId: CHAIN_ID, minGasPrice: GWEI, blockGasLimit: 30_000_000n, globalSlots }, { state });
}

async function admitAll(pool: TxPool, raws: Uint8Array[]): Promise<number> {
  let accepted = 0;
  for (const raw of raws) {
    try {
      await pool.add(raw);
      accepted++;
    } catch (e) {
      if (!(e instanceof TxPoolError) || e.code !== TxPoolErrorCode.POOL_FULL) throw e;
    }
  }
  return accepted;
}

export async function run(): Promise<void> {
  const t0 = performance.now();
  const txs = signTransfers();
  const raws = txs.map((t) => t.serialize());
  const sigs = txs.map((t) => ({ msg: t.getMessageToVerifySignature(), v: t.v as bigint, r: bigIntToUnpaddedBytes(t.r as bigint), s: bigIntToUnpaddedBytes(t.s as bigint) }));
  const signMs = performance.now() - t0;
  const decodeTx = (raw: Uint8Array) => decodeTransaction(raw, common, { allowUnprotected: false });

  // Checks before timing: recovery matches the signer, every transfer is admitted.
  const check = decodeTx(raws[0] as Uint8Array);
  if (bytesToHex(recoverSender(check).address) !== txs[0]?.getSenderAddress().toString()) throw new Error("recovery mismatch");
  const probe = newPool();
  if ((await admitAll(probe, raws)) !== N || probe.status().pending !== N) throw new Error("not every transfer was admitted");
  for (const raw of raws.slice(0, 10)) {
    const code = await probe.add(raw).then(() => "accepted", (e: TxPoolError) => e.code);
    if (code !== TxPoolErrorCode.ALREADY_KNOWN) throw new Error(`duplicate gave ${code}`);
  }

  const perTx = (us: number) => us / N;
  const recoverAll = () => { for (const s of sigs) ecrecover(s.msg, s.v, s.r, s.s); };
  // The machine is shared and 2-core, so baseline and admission are measured in alternating rounds
  // and each round's share is its own recovery time over its own admission time; medians reported.
  const rec: number[] = [];
  const adm: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    rec.push(perTx(await timeIt(recoverAll, ONCE)));
    adm.push(perTx(await timeIt(() => admitAll(newPool(), raws), ONCE)));
    // A pool with room for half of them: every later admission evicts a cheaper tx or is refused.
    full.push(perTx(await timeIt(() => admitAll(newPool(N / 2), raws), ONCE)));
  }
  const share = (xs: number[]) => `${(100 * median(xs.map((x, i) => (rec[i] as number) / x))).toFixed(0)}%`;
  const decodeUs = perTx(await timeIt(() => { for (const r of raws) decodeTx(r); }, RUNS));
  const decodeRecoverUs = perTx(await timeIt(() => { for (const r of raws) recoverSender(decodeTx(r)); }, RUNS));
  const dupUs = perTx(await timeIt(() => Promise.all(raws.map((r) => probe.add(r).catch(() => undefined))), RUNS));
  const pendingUs = await timeIt(() => probe.pending(), { minMs: 300, minIters: 3 });

  const row = (operation: string, us: number, recoveryShare = "-") => ({ operation, "µs/tx": us, "tx/s": 1e6 / us, "recovery share": recoveryShare });
  printTable(`txpool admission (${N} signed EIP-1559 transfers, ${SENDERS} senders × ${PER_SENDER}; signing took ${signMs.toFixed(0)} ms; median of ${ROUNDS} rounds)`, [
    row("baseline: secp256k1 sender recovery (ecrecover)", median(rec), "100%"),
    row("decode + stateless checks (core decodeTransaction)", decodeUs),
    row("decode + recover sender", decodeRecoverUs, `${((100 * median(rec)) / decodeRecoverUs).toFixed(0)}%`),
    row("pool.add → pending (empty pool)", median(adm), share(adm)),
    row(`pool.add into a full pool (globalSlots ${N / 2}, evicting)`, median(full), share(full)),
    row("pool.add of a known tx (ALREADY_KNOWN)", dupUs),
    { operation: `pool.pending() ordering of ${N} txs (µs per call)`, "µs/tx": pendingUs, "tx/s": (N * 1e6) / pendingUs },
  ]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

if (import.meta.main) await run();
