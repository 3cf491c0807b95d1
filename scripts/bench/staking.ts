/**
 * `make bench staking` (issue 9, acceptance 8): the beacon chain's staking work per block, on the
 * real finalize step (`finalizeBlock` → `processBlockRewards` / `processEpochEnd`) over a real world
 * state in a durable store, with the mainnet-like staking parameters (4 shards × 250 slots):
 * - epoch end with 1,000 validators and 10,000 delegations (reward pools to settle over every
 *   delegation, undelegations past their lock to pay out, stale delegations to drop, the election of
 *   1,000 slots), then the state root of everything it changed — target ≤ one devnet block time;
 * - the per-block reward payout to a 250-slot committee (shard 0's), with its state root.
 * Records are made by the staking operations themselves (createValidator with BLS proofs of
 * possession, Delegate, Undelegate), so the state has the layout the contract leaves.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT, MAINNET_LIKE_CHAIN_CONFIG, type ShardState, TOKEN, decodeShardState } from "../../src/core/index.ts";
import { createBLS } from "../../src/crypto/index.ts";
import { type FinalizeInput, finalizeBlock } from "../../src/execution/index.ts";
import { EMPTY_ACCOUNT, StateStore, WorldState } from "../../src/state/index.ts";
import { DEC_ONE, STAKING_ADDRESS_BYTES, StakingState, type StakingContext, processCreateValidator, processDelegate, processUndelegate } from "../../src/staking/index.ts";
import { type KVStore, openDataDir } from "../../src/store/index.ts";
import { addSummaryRow } from "./_summary.ts";
import { printTable, type Row } from "./_table.ts";

const VALIDATORS = 1000;
const DELEGATIONS = 10_000; // besides the operators' own
const DELEGATORS = 2000; // each delegates to DELEGATIONS / DELEGATORS validators
const REWARDED_BLOCKS = 16; // blocks paid before the epoch end, so reward pools hold something to settle
const RUNS = 5;
const CONFIG = MAINNET_LIKE_CHAIN_CONFIG;
const PARAMS = CONFIG.staking;
const TARGET_MS = DEV_CHAIN_CONFIG.blockTimeMs;

const account = (tag: number, i: number) => {
  const a = new Uint8Array(20);
  a[0] = tag;
  new DataView(a.buffer).setUint32(16, i);
  return a;
};

/** The state before the epoch's last block, persisted; and the committee of the ending epoch. */
async function buildState(kv: KVStore, store: StateStore): Promise<{ root: Uint8Array; current: ShardState }> {
  const bls = await createBLS();
  const w = new WorldState(store, EMPTY_TRIE_ROOT);
  const s = new StakingState(w);
  const ctx = (caller: Uint8Array, value = 0n): StakingContext => ({ caller, value, epoch: 0n, blockNumber: 1n, params: PARAMS, bls });
  const fund = (a: Uint8Array, wei: bigint) => w.putAccount(a, { ...EMPTY_ACCOUNT, balance: wei });
  let escrow = 0n;
  for (let i = 0; i < VALIDATORS; i++) {
    const op = account(1, i);
    const stake = PARAMS.minSelfDelegation + BigInt(i % 97) * 100n * TOKEN; // spread bids around the median
    fund(op, 1n * TOKEN);
    escrow += stake; // the EVM moves msg.value to the contract before the operation runs
    w.putAccount(STAKING_ADDRESS_BYTES, { ...(w.getAccount(STAKING_ADDRESS_BYTES) ?? EMPTY_ACCOUNT), balance: escrow });
    const seed = new Uint8Array(32).fill(0x5a);
    new DataView(seed.buffer).setUint32(0, i);
    const sk = bls.keygen(seed);
    processCreateValidator(s, ctx(op, stake), {
      description: { name: `v${i}`, identity: "", website: "", securityContact: "", details: "" },
      rate: DEC_ONE / 10n, maxRate: DEC_ONE / 2n, maxChangeRate: DEC_ONE / 20n,
      minSelfDelegation: PARAMS.minSelfDelegation, maxTotalDelegation: 10_000_000n * TOKEN,
      blsKeys: [bls.secretToPublic(sk)], blsKeySigs: [bls.popProve(sk)],
    });
  }
  const per = DELEGATIONS / DELEGATORS;
  for (let d = 0; d < DELEGATORS; d++) {
    const who = account(2, d);
    fund(who, 100_000n * TOKEN);
    for (let j = 0; j < per; j++) {
      const v = account(1, (d * per + j * 211) % VALIDATORS);
      const amount = PARAMS.minDelegation * BigInt(1 + ((d + j) % 9));
      processDelegate(s, ctx(who), who, v, amount);
      // One delegation in 10 leaves in part (paid out at this epoch end), one in 40 entirely (then stale).
      if ((d + j) % 40 === 0) processUndelegate(s, ctx(who), who, v, amount);
      else if ((d + j) % 10 === 0) processUndelegate(s, ctx(who), who, v, amount / 2n);
    }
  }
  // The committee of the ending epoch: a first election over these records (then undone: only the
  // shard state is kept, as the chain keeps it in the header).
  const persist = () => {
    const c = w.commit();
    kv.batch(c.ops);
    store.cacheCommitted(c);
    return c.root;
  };
  const before = persist();
  const first = finalizeBlock(new WorldState(store, before), { params: PARAMS, epochEnd: { current: { epoch: 0n, shards: [] }, shardCount: CONFIG.shardCount, bandBps: PARAMS.effectiveStakeBandBps } });
  const current = { ...decodeShardState(first.shardState as Uint8Array), epoch: BigInt(PARAMS.undelegationLockEpochs) };
  // Blocks of the epoch paid to shard 0's committee, so the epoch end has pools to settle.
  const paid = new WorldState(store, before);
  const committee = current.shards[0]?.slots ?? [];
  for (let b = 0; b < REWARDED_BLOCKS; b++) finalizeBlock(paid, { params: PARAMS, parentRewards: { committee, signed: committee.map((_, i) => (i + b) % 5 !== 0) } });
  const c = paid.commit();
  kv.batch(c.ops);
  store.cacheCommitted(c);
  return { root: c.root, current };
}

/**
 * Medians of `runs` timings of `finalizeBlock` on a fresh world at `root` and of its state root after
 * (wall time), and of the CPU time of both: on a machine shared with other work the two part ways.
 */
function timeFinalize(store: StateStore, root: Uint8Array, input: FinalizeInput, runs: number): { finalize: number; stateRoot: number; cpu: number } {
  const fin: number[] = [];
  const sr: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const w = new WorldState(store, root);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    finalizeBlock(w, input);
    const t1 = performance.now();
    w.stateRoot();
    const t2 = performance.now();
    const c = process.cpuUsage(c0);
    fin.push(t1 - t0);
    sr.push(t2 - t1);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  return { finalize: median(fin), stateRoot: median(sr), cpu: median(cpu) };
}

/** Run the staking benchmark section, print its table and add the epoch-end target to the summary. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "harmony-bench-staking-"));
  const kv = openDataDir(dir, { quickCheck: false });
  try {
    const store = new StateStore(kv);
    const t0 = performance.now();
    const { root, current } = await buildState(kv, store);
    const setupS = (performance.now() - t0) / 1000;
    const committee = current.shards[0]?.slots ?? [];
    const signed = committee.map((_, i) => i % 7 !== 0);
    const block = timeFinalize(store, root, { params: PARAMS, parentRewards: { committee, signed } }, 20);
    const end = timeFinalize(store, root, {
      params: PARAMS,
      parentRewards: { committee, signed },
      epochEnd: { current, shardCount: CONFIG.shardCount, bandBps: PARAMS.effectiveStakeBandBps },
    }, RUNS);
    const endMs = end.finalize + end.stateRoot;
    const row = (step: string, t: typeof end): Row => ({
      step, "finalize ms": t.finalize, "state root ms": t.stateRoot, "total ms": t.finalize + t.stateRoot, "cpu ms": t.cpu, "of a devnet block": (t.finalize + t.stateRoot) / TARGET_MS,
    });
    const rows: Row[] = [row(`block reward to ${committee.length} slots`, block), row(`epoch end: ${VALIDATORS} validators, ${DELEGATIONS} delegations`, end)];
    printTable(`staking (mainnet-like parameters; state built in ${setupS.toFixed(1)} s; medians of ${RUNS} epoch ends and 20 blocks)`, rows);
    addSummaryRow({
      target: `epoch end, ${VALIDATORS} validators / ${DELEGATIONS} delegations ≤ 1 devnet block (${TARGET_MS} ms)`,
      measured: `${endMs.toFixed(0)} ms`,
      ratio: TARGET_MS / endMs,
      holds: endMs <= TARGET_MS,
      note: `finalize ${end.finalize.toFixed(0)} ms + state root ${end.stateRoot.toFixed(0)} ms (CPU ${end.cpu.toFixed(0)} ms: ${end.cpu < endMs * 0.8 ? "load limits this run" : "not limited by load"}); per-block reward payout ${(block.finalize + block.stateRoot).toFixed(1)} ms`,
    });
  } finally {
    kv.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
