// Listening announcements (issue 8 item 7, src/node/listenQuorum.ts): bad input is rejected without a
// crash, signatures are checked, stale or replayed announcements are ignored, our own key announced by
// another process is a doppelganger.
import { describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import { createCommittee } from "../../../src/consensus/index.ts";
import { createBLS } from "../../../src/crypto/index.ts";
import { ListenQuorum } from "../../../src/node/listenQuorum.ts";
import { ValidationResult } from "../../../src/p2p/index.ts";

const bls = await createBLS("auto");
const secrets = [1, 2, 3, 4].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
const committee = createCommittee({ keys: secrets.map((s) => bls.secretToPublic(s)) });
const genesisHash = new Uint8Array(32).fill(9);

function proc(slot: number, env: { now: number }, opts: { nonce?: Uint8Array } = {}) {
  const out: Uint8Array[] = [];
  const alarms: string[] = [];
  let tick: (() => void) | undefined;
  const lq = new ListenQuorum({ committee, mySlots: [slot], genesisHash, ...opts }, {
    sign: (_sl, m) => bls.sign(secrets[slot] as Uint8Array, m),
    verify: async (c) => bls.fastAggregateVerify([...c.publicKeys], c.message, c.signature),
    publish: (b) => void out.push(b),
    clock: { now: () => env.now, setTimeout: (fn) => ((tick = fn), 1), clearTimeout: () => undefined },
    listening: () => true,
    onQuorum: () => undefined,
    onDoppelganger: (w) => void alarms.push(w),
    logger: { info: () => undefined, debug: () => undefined },
  });
  lq.start();
  return { lq, out, alarms, tick: () => tick?.() };
}

describe("listening announcements", () => {
  test("garbage and forged signatures are rejected; stale announcements ignored", async () => {
    const env = { now: 100_000 };
    const a = proc(0, env);
    const b = proc(1, env);
    a.tick();
    const msg = a.out[0] as Uint8Array;
    expect(await b.lq.receive({ data: msg })).toBe(ValidationResult.ACCEPT);
    expect(await b.lq.receive({ data: Uint8Array.of(1, 2, 3) })).toBe(ValidationResult.REJECT);
    expect(await b.lq.receive({ data: RLP.encode([new Uint8Array(16), new Uint8Array(0)]) })).toBe(ValidationResult.REJECT);
    // The same body with the signature of another key.
    const parts = RLP.decode(msg) as Uint8Array[];
    const forged = RLP.encode([...parts.slice(0, 4), bls.sign(secrets[2] as Uint8Array, Uint8Array.of(1))] as Uint8Array[]);
    expect(await b.lq.receive({ data: forged })).toBe(ValidationResult.REJECT);
    env.now += 31_000;
    expect(await b.lq.receive({ data: msg })).toBe(ValidationResult.IGNORE);
    expect(b.alarms).toEqual([]);
  });

  test("an announcement of our key by another process raises the doppelganger alarm; one from our previous run does not", async () => {
    const env = { now: 100_000 };
    const old = proc(1, env);
    old.tick();
    env.now += 5_000;
    const current = proc(1, env);
    expect(await current.lq.receive({ data: old.out[0] as Uint8Array })).toBe(ValidationResult.ACCEPT);
    expect(current.alarms).toEqual([]);
    old.tick();
    expect(await current.lq.receive({ data: old.out[1] as Uint8Array })).toBe(ValidationResult.ACCEPT);
    expect(current.alarms.length).toBe(1);
  });

  test("an echo counts only when it names our nonce and no other for our slots", async () => {
    const env = { now: 100_000 };
    const n1 = new Uint8Array(16).fill(1);
    const me = proc(0, env, { nonce: n1 });
    const other = proc(1, env);
    const stranger = proc(0, env, { nonce: new Uint8Array(16).fill(3) });
    me.tick();
    await other.lq.receive({ data: me.out[0] as Uint8Array });
    other.tick();
    expect(await me.lq.receive({ data: other.out[0] as Uint8Array })).toBe(ValidationResult.ACCEPT);
    expect(me.lq.echoes).toEqual([1]);
    // `other` then hears a second process announcing slot 0: its later echoes name two nonces for it.
    stranger.tick();
    await other.lq.receive({ data: stranger.out[0] as Uint8Array });
    other.tick();
    const fresh = proc(0, env, { nonce: n1 });
    expect(await fresh.lq.receive({ data: other.out[1] as Uint8Array })).toBe(ValidationResult.ACCEPT);
    expect(fresh.lq.echoes).toEqual([]);
  });
});
