// Acceptance 5 of issue 9 in process, up to the chain (DESIGN §Slashing): on a 4-validator network of
// real drivers, the validator behind the double-sign fail point sends a conflicting COMMIT with each
// COMMIT; the leaders that see both hold evidence naming only its slot, the records a leader would
// offer prove double signing by its key alone, and the chain keeps finalizing blocks meanwhile.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ChainConfig, TOKEN, createDevGenesis } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { doubleSignConflict, withDoubleSign } from "../../../src/node/_doubleSign.ts";
import { pendingSlashRecords } from "../../../src/node/slashEvidence.ts";
import { DEC_ONE, checkDoubleSignRecord } from "../../../src/staking/index.ts";
import { type TestNetwork, startTestNetwork, testConfig, waitFor } from "./_net.ts";

const CHEAT = 2;
let bls: BLS;
let net: TestNetwork | undefined;

beforeAll(async () => {
  bls = await createBLS("native");
});

afterAll(async () => {
  await net?.stop();
});

function stakedGenesis(keys: Uint8Array[], config: ChainConfig) {
  return {
    ...createDevGenesis({ config, committees: [keys] }),
    validators: keys.map((k, i) => ({
      address: new Uint8Array(20).fill(0x70 + i), blsKeys: [k], stake: 1_000n * TOKEN, commissionRate: DEC_ONE / 10n, maxCommissionRate: DEC_ONE / 2n,
      maxChangeRate: DEC_ONE / 20n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 10_000n * TOKEN, name: `v${i}`,
    })),
  };
}

describe("double-sign fail point on a network of drivers", () => {
  test("the cheat's conflicting COMMITs become evidence against its key only; blocks keep coming", async () => {
    // The network's keys are keygen(fill(i + 11)) (see _net.ts): the cheat signs with its own.
    const cheatKey = bls.keygen(new Uint8Array(32).fill(CHEAT + 11));
    net = await startTestNetwork({
      config: testConfig(),
      genesis: stakedGenesis,
      wrapNet: (i, n) => (i === CHEAT ? withDoubleSign(n, doubleSignConflict(undefined, (payload) => bls.sign(cheatKey, payload))) : n),
    });
    const nodes = net.nodes;
    for (const x of nodes) x.driver.start();
    await waitFor(() => nodes.some((x) => x.evidence.size > 0) && nodes.every((x) => x.chain.head.number >= 6n), 30_000, "evidence and 6 blocks");
    const all = nodes.flatMap((x) => x.evidence.list());
    expect(all.every((e) => e.phase === "commit" && e.slots.length === 1 && e.slots[0] === CHEAT)).toBe(true);
    const holder = nodes.find((x) => x.evidence.size > 0)!;
    const records = pendingSlashRecords(holder.chain, holder.evidence.list());
    expect(records.length).toBe(1); // one per key
    expect(records[0]?.offender).toEqual(net.committee.keys[CHEAT] as Uint8Array);
    expect(checkDoubleSignRecord(records[0]!, bls)).toBeNull();
    // Honest validators are not penalized for anything, and the cheat's votes are valid, so nobody is.
    expect(nodes.flatMap((x) => x.penalties)).toEqual([]);
  }, 90_000);
});
