/**
 * `make bench bls`: the two BLS backends against pure-JS `@noble/curves` on the operations the node
 * runs most: sign, verify, fast-aggregate-verify of one committee (250 signers, one message) and
 * batch verification of 64 distinct (pk, msg, sig) sets. Every input is serialized bytes; since the
 * same keys and signatures repeat, the backends serve them from their point caches after the first
 * call (noble decodes every time). Each measured operation is checked to return the right answer
 * before it is timed. Then the issue 11 targets (scripts/bench/_blsTargets.ts), which go to the
 * summary table.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { type BLS, createBLS, SIGNATURE_DST, type SignatureSet } from "../../src/crypto/bls/index.ts";
import { runTargets } from "./_blsTargets.ts";
import { printTable, timeIt } from "./_table.ts";

const COMMITTEE = 250;
const BATCH = 64;
const FAST = { minMs: 400, minIters: 5 };
const SLOW = { minMs: 1, minIters: 2 }; // noble: a few runs only

const sigs = bls12_381.longSignatures;
const { G1, G2 } = bls12_381;
const { Fp12 } = bls12_381.fields;

type Op = "sign" | "verify" | "fastAggregateVerify" | "batch";
interface Fixture {
  sk: Uint8Array;
  pk: Uint8Array;
  msg: Uint8Array;
  sig: Uint8Array;
  pks: Uint8Array[];
  aggSig: Uint8Array;
  sets: SignatureSet[];
}

function makeFixture(bls: BLS): Fixture {
  const sks = Array.from({ length: COMMITTEE }, (_, i) => bls.keygen(new Uint8Array(32).fill(i + 1)));
  const pks = sks.map((sk) => bls.secretToPublic(sk));
  const msg = new Uint8Array(32).fill(0xab); // a block hash
  const sets = Array.from({ length: BATCH }, (_, i) => {
    const message = new Uint8Array(32).fill(i);
    return { publicKey: pks[i] as Uint8Array, message, signature: bls.sign(sks[i] as Uint8Array, message) };
  });
  const sk = sks[0] as Uint8Array;
  const aggSig = bls.aggregateSignatures(sks.map((s) => bls.sign(s, msg)));
  return { sk, pk: pks[0] as Uint8Array, msg, sig: bls.sign(sk, msg), pks, aggSig, sets };
}

function backendOps(bls: BLS, f: Fixture): Record<Op, () => unknown> {
  return {
    sign: () => bls.sign(f.sk, f.msg),
    verify: () => bls.verify(f.pk, f.msg, f.sig),
    fastAggregateVerify: () => bls.fastAggregateVerify(f.pks, f.msg, f.aggSig),
    batch: () => bls.verifyMultipleSignatures(f.sets),
  };
}

// noble has no multi-set batch call: the same random linear combination as blst and herumi,
// e(g1, Σ rᵢσᵢ) = ∏ e(rᵢPKᵢ, H(mᵢ)), with 64-bit rᵢ and one final exponentiation.
function nobleBatch(sets: SignatureSet[]): boolean {
  const pairs = [];
  let sigAcc = G2.Point.ZERO;
  for (const s of sets) {
    const r = crypto.getRandomValues(new BigUint64Array(1))[0] || 1n;
    pairs.push({ g1: G1.Point.fromBytes(s.publicKey).multiply(r), g2: sigs.hash(s.message, SIGNATURE_DST) });
    sigAcc = sigAcc.add(G2.Point.fromBytes(s.signature).multiply(r));
  }
  pairs.push({ g1: G1.Point.BASE.negate(), g2: sigAcc });
  return Fp12.eql(bls12_381.pairingBatch(pairs), Fp12.ONE);
}

function nobleOps(f: Fixture): Record<Op, () => unknown> {
  return {
    sign: () => sigs.Signature.toBytes(sigs.sign(sigs.hash(f.msg, SIGNATURE_DST), f.sk)),
    verify: () => sigs.verify(f.sig, sigs.hash(f.msg, SIGNATURE_DST), f.pk),
    fastAggregateVerify: () => {
      const aggPk = sigs.aggregatePublicKeys(f.pks.map((pk) => G1.Point.fromBytes(pk)));
      return sigs.verify(f.aggSig, sigs.hash(f.msg, SIGNATURE_DST), aggPk);
    },
    batch: () => nobleBatch(f.sets),
  };
}

function check(name: string, ops: Record<Op, () => unknown>, f: Fixture): void {
  const signed = ops.sign();
  const signedOk = signed instanceof Uint8Array && signed.length === f.sig.length && signed.every((b, i) => b === f.sig[i]);
  const results = { sign: signedOk, verify: ops.verify(), fastAggregateVerify: ops.fastAggregateVerify(), batch: ops.batch() };
  for (const [op, ok] of Object.entries(results)) if (ok !== true) throw new Error(`bench ${name} ${op}: wrong result`);
}

/** Print the BLS section of `make bench`. */
export async function run(): Promise<void> {
  const native = await createBLS("native");
  const wasm = await createBLS("wasm");
  const f = makeFixture(native);
  const runners = { native: backendOps(native, f), wasm: backendOps(wasm, f), noble: nobleOps(f) };
  for (const [name, ops] of Object.entries(runners)) check(name, ops, f);

  const labels: Record<Op, string> = {
    sign: "sign",
    verify: "verify",
    fastAggregateVerify: `fast-aggregate-verify (${COMMITTEE} signers, 1 msg)`,
    batch: `batch verify (${BATCH} distinct sets)`,
  };
  const rows = [];
  for (const op of Object.keys(labels) as Op[]) {
    const n = await timeIt(runners.native[op], FAST);
    const w = await timeIt(runners.wasm[op], FAST);
    const j = await timeIt(runners.noble[op], SLOW);
    rows.push({ op: labels[op], "native µs/op": n, "wasm µs/op": w, "noble µs/op": j, "wasm/native": w / n, "noble/native": j / n });
  }
  printTable("BLS12-381 (native = @chainsafe/blst, wasm = bls-eth-wasm, noble = @noble/curves)", rows);
  await runTargets(native);
}

if (import.meta.main) {
  await run();
  const { printSummary } = await import("./_summary.ts");
  printSummary();
}
