// One slice of the secp256k1 agreement check (secp256k1Backend.test.ts): inputs [from, to) against
// noble. Run in a Worker, so the two slices of the 100,000 inputs use both cores; posts its counts or
// the first disagreement.
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { createSecp256k1, nobleSecp256k1 } from "../../../src/crypto/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";

/** What a slice reports. */
export interface AgreementSlice {
  recovered: number;
  none: number;
  backends: string[];
  error?: string;
}

async function run(from: number, to: number): Promise<AgreementSlice> {
  const noble = nobleSecp256k1();
  const backends = [await createSecp256k1("native"), await createSecp256k1("wasm")];
  const hash = new Uint8Array(32);
  const compact = new Uint8Array(64);
  const out: AgreementSlice = { recovered: 0, none: 0, backends: backends.map((b) => b.name) };
  for (let i = from; i < to; i++) {
    crypto.getRandomValues(hash);
    let rec: number;
    let want: Uint8Array | null;
    if (i % 4 !== 0) {
      // a real signature by a random key: noble's answer is that key
      const sk = secp256k1.utils.randomSecretKey();
      const sig = secp256k1.Signature.fromBytes(secp256k1.sign(hash, sk, { prehash: false, format: "recovered" }), "recovered");
      compact.set(sig.toBytes("compact"));
      rec = sig.recovery ?? 0;
      want = secp256k1.getPublicKey(sk, false);
    } else {
      // random r‖s: about half the x-coordinates are on the curve; noble recovers or refuses
      crypto.getRandomValues(compact);
      rec = i & 1;
      want = noble.recover(hash, compact, rec);
    }
    if (want === null) out.none++;
    else out.recovered++;
    for (const b of backends) {
      const got = b.recover(hash, compact, rec);
      if ((want === null) !== (got === null) || (want && got && bytesToHex(want) !== bytesToHex(got))) {
        out.error = `${b.name} disagrees with noble at input ${i}: hash ${bytesToHex(hash)} sig ${bytesToHex(compact)} rec ${rec}`;
        return out;
      }
    }
  }
  return out;
}

declare const self: Worker;
self.onmessage = async (ev: MessageEvent<{ from: number; to: number }>) => {
  try {
    self.postMessage(await run(ev.data.from, ev.data.to));
  } catch (e) {
    self.postMessage({ recovered: 0, none: 0, backends: [], error: String((e as Error)?.stack ?? e) } satisfies AgreementSlice);
  }
};
