// BLS conformance vectors of ethereum/consensus-spec-tests (tests/general/{phase0,altair}/bls/), run
// against both backends. Handlers map to the consensus-specs functions: phase0/beacon-chain.md §BLS
// signatures (IETF draft-irtf-cfrg-bls-signature-04 POP scheme) and altair/bls.md (eth_* wrappers).
// Directory: $BLS_VECTORS_DIR, default test/vectors/bls (kept in the repository), resolved from the repo root.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { type BLS, createBLS, ethAggregatePublicKeys, ethFastAggregateVerify } from "../../src/crypto/bls/index.ts";

const ROOT = resolve(import.meta.dir, "../..");
const DIR = resolve(ROOT, process.env.BLS_VECTORS_DIR ?? "test/vectors/bls");

interface VectorCase {
  name: string;
  input: unknown;
  output: unknown;
}

const hex = (s: unknown): Uint8Array => {
  if (typeof s !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(s)) throw new TypeError(`bad hex in vector: ${String(s)}`);
  return Uint8Array.from(s.slice(2).match(/../g) ?? [], (b) => Number.parseInt(b, 16));
};
const hexList = (v: unknown): Uint8Array[] => (v as unknown[]).map(hex);
type Fields = Record<string, unknown>;

/** Each handler returns the operation's result; `null` means it failed (threw). */
const HANDLERS: Record<string, (bls: BLS, input: unknown) => Uint8Array | boolean | null> = {
  sign: (bls, i) => attempt(() => bls.sign(hex((i as Fields).privkey), hex((i as Fields).message))),
  verify: (bls, i) => {
    const { pubkey, message, signature } = i as Fields;
    return bls.verify(hex(pubkey), hex(message), hex(signature));
  },
  aggregate: (bls, i) => attempt(() => bls.aggregateSignatures(hexList(i))),
  fast_aggregate_verify: (bls, i) => {
    const { pubkeys, message, signature } = i as Fields;
    return bls.fastAggregateVerify(hexList(pubkeys), hex(message), hex(signature));
  },
  aggregate_verify: (bls, i) => {
    const { pubkeys, messages, signature } = i as Fields;
    return bls.aggregateVerify(hexList(pubkeys), hexList(messages), hex(signature));
  },
  eth_aggregate_pubkeys: (bls, i) => attempt(() => ethAggregatePublicKeys(bls, hexList(i))),
  eth_fast_aggregate_verify: (bls, i) => {
    const { pubkeys, message, signature } = i as Fields;
    return ethFastAggregateVerify(bls, hexList(pubkeys), hex(message), hex(signature));
  },
};

function attempt(op: () => Uint8Array): Uint8Array | null {
  try {
    return op();
  } catch {
    return null;
  }
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();
const suites = files.map((f) => ({
  handler: basename(f, ".json"),
  cases: JSON.parse(readFileSync(resolve(DIR, f), "utf8")) as VectorCase[],
}));
const total = suites.reduce((n, s) => n + s.cases.length, 0);

test(`vectors present in ${DIR}`, () => {
  expect(total).toBeGreaterThan(0);
  for (const { handler } of suites) expect(Object.keys(HANDLERS)).toContain(handler);
});

for (const backend of ["native", "wasm"] as const) {
  const bls = await createBLS(backend);
  describe(`bls ${backend}`, () => {
    for (const { handler, cases } of suites) {
      const run = HANDLERS[handler];
      for (const c of cases) {
        test(`${backend} ${handler}/${c.name}`, () => {
          if (!run) throw new Error(`no runner for handler ${handler}`);
          const got = run(bls, c.input);
          if (c.output === null) expect(got).toBeNull();
          else if (typeof c.output === "boolean") expect(got).toBe(c.output);
          else expect(got).toEqual(hex(c.output));
        });
      }
    }
  });
}
