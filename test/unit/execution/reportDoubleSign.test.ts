// reportDoubleSign(bytes evidence) on the staking contract (DESIGN §Slashing): any caller proves a
// double sign and is paid half the slash; bad evidence, an unknown key and a second report revert
// with a clear reason and change nothing but the fee; the slash reads the offence epoch's snapshot.
import { beforeAll, describe, expect, test } from "bun:test";
import { decodeErrorResult, encodeFunctionData } from "viem";
import { ChainConfig, DEV_CHAIN_CONFIG, TOKEN, commitPayload, createDevGenesis } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { STAKING_GAS } from "../../../src/execution/stakingPrecompile.ts";
import { WorldState } from "../../../src/state/index.ts";
import { DEC_ONE, type DoubleSignRecord, STAKING_ABI, STAKING_ADDRESS_BYTES, StakingState, ValidatorStatus, encodeDoubleSignRecord } from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";
import { addrs, devChain, produce, tx } from "../chain/_helpers.ts";

const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), epochBlocks: 4 });
const OPERATOR = addrs[5] as Uint8Array;
let bls: BLS;
let sk: Uint8Array;
let key: Uint8Array;

beforeAll(async () => {
  bls = await createBLS();
  sk = bls.keygen(new Uint8Array(32).fill(3));
  key = bls.secretToPublic(sk);
});

function genesis(cfg = config) {
  return {
    ...createDevGenesis({ config: cfg, committees: [[key]] }),
    validators: [{
      address: OPERATOR, blsKeys: [key], stake: 1_000n * TOKEN, commissionRate: DEC_ONE / 10n, maxCommissionRate: DEC_ONE / 2n,
      maxChangeRate: DEC_ONE / 20n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 10_000n * TOKEN, name: "op",
    }],
  };
}

function record(height: bigint, view: bigint, signer = sk): DoubleSignRecord {
  const vote = (b: number) => {
    const blockHash = new Uint8Array(32).fill(b);
    return { blockHash, signature: bls.sign(signer, commitPayload(height, blockHash, view)) };
  };
  return { shardId: 0, epoch: height / 4n, height, view, offender: bls.secretToPublic(signer), first: vote(1), second: vote(2) };
}

const report = (r: DoubleSignRecord | Uint8Array) =>
  hexToBytes(encodeFunctionData({ abi: STAKING_ABI, functionName: "reportDoubleSign", args: [bytesToHex(r instanceof Uint8Array ? r : encodeDoubleSignRecord(r)) as `0x${string}`] }));
const reason = (data: Uint8Array | undefined) => (data ? decodeErrorResult({ abi: [], data: bytesToHex(data) as `0x${string}` }).args?.[0] : undefined);
const staking = (chain: Awaited<ReturnType<typeof devChain>>) => new StakingState(new WorldState(chain.state, chain.head.stateRoot));

describe("reportDoubleSign", () => {
  test("any caller proves a double sign: the validator is slashed from its snapshot and banned, the caller gets half", async () => {
    const chain = await devChain(openStore(":memory:"), genesis());
    for (let i = 0; i < 5; i++) await produce(chain, []); // into epoch 1: the offence at height 2 reads epoch 0's snapshot (genesis)
    // Stake moved after the offence epoch does not shrink the debt: the operator adds 500 tokens now.
    await produce(chain, [tx(5, 0n, { to: STAKING_ADDRESS_BYTES, data: hexToBytes(encodeFunctionData({ abi: STAKING_ABI, functionName: "Delegate", args: [bytesToHex(OPERATOR) as `0x${string}`, bytesToHex(OPERATOR) as `0x${string}`, 500n * TOKEN] })), gasLimit: 200_000n })]);
    const reporter = addrs[1] as Uint8Array;
    const before = chain.stateAt().getBalance(reporter);
    const b = await produce(chain, [tx(1, 0n, { to: STAKING_ADDRESS_BYTES, data: report(record(2n, 2n)), gasLimit: 1_000_000n })]);
    const r = chain.getTransactionReceipt(b.block.transactions[0]!.hash())!;
    expect(r.receipt.status).toBe(1);
    expect(r.gasUsed).toBeGreaterThan(STAKING_GAS.reportDoubleSign);
    // 50% of the 1,000-token snapshot self-stake (not of the 1,500 now); no delegators: half to the reporter.
    expect(chain.stateAt().getBalance(reporter)).toBe(before + 250n * TOKEN - r.gasUsed * r.effectiveGasPrice);
    const v = staking(chain).getValidator(OPERATOR)!;
    expect(v.status).toBe(ValidatorStatus.BANNED);
    expect(v.totalDelegation).toBe(1_000n * TOKEN);
    expect(staking(chain).getDelegation(OPERATOR, OPERATOR)!.amount).toBe(1_000n * TOKEN);

    // A second report of the same offence, or another offence of the banned validator: refused.
    const again = await chain.call({ from: addrs[2], to: STAKING_ADDRESS_BYTES, data: report(record(2n, 2n)) });
    expect(reason(again.revertData)).toBe(`staking: validator ${bytesToHex(OPERATOR)} is already slashed and banned`);
    const rootBefore = staking(chain).getValidator(OPERATOR);
    const refused = await produce(chain, [tx(2, 0n, { to: STAKING_ADDRESS_BYTES, data: report(record(3n, 3n)), gasLimit: 1_000_000n })]);
    expect(chain.getTransactionReceipt(refused.block.transactions[0]!.hash())!.receipt.status).toBe(0);
    expect(staking(chain).getValidator(OPERATOR)).toEqual(rootBefore);
  });

  test("each kind of bad evidence reverts with its reason and changes nothing", async () => {
    const chain = await devChain(openStore(":memory:"), genesis());
    for (let i = 0; i < 5; i++) await produce(chain, []);
    const why = async (data: Uint8Array) => reason((await chain.call({ from: addrs[2], to: STAKING_ADDRESS_BYTES, data })).revertData);
    expect(await why(report(Uint8Array.of(1, 2, 3)))).toMatch(/^staking: malformed evidence: /);
    const r = record(2n, 2n);
    expect(await why(report({ ...r, second: r.first }))).toBe("staking: evidence proves no double signing: both votes are for the same block");
    expect(await why(report({ ...r, view: 3n }))).toBe("staking: evidence proves no double signing: the first vote's signature is not the offender's COMMIT signature");
    expect(await why(report(record(2n, 2n, bls.keygen(new Uint8Array(32).fill(9)))))).toMatch(/^staking: BLS key 0x[0-9a-f]{96} was no validator's at epoch 0$/);
    expect(await why(report(record(40n, 40n)))).toBe("staking: evidence epoch 10 is in the future (now 1)");
    expect(await why(report({ ...r, epoch: 1n }))).toBe("staking: evidence epoch 1 is not the epoch of height 2");
    expect(staking(chain).getValidator(OPERATOR)!.status).toBe(ValidatorStatus.ACTIVE);
    const viaTx = await produce(chain, [tx(2, 0n, { to: STAKING_ADDRESS_BYTES, data: report({ ...r, second: r.first }), gasLimit: 1_000_000n })]);
    expect(chain.getTransactionReceipt(viaTx.block.transactions[0]!.hash())!.receipt.status).toBe(0);
    expect(staking(chain).getValidator(OPERATOR)!.status).toBe(ValidatorStatus.ACTIVE);
  });

  test("refused while slashing is not active", async () => {
    const off = new ChainConfig({ ...config.toData(), activationEpochs: { ...config.activationEpochs, slashing: null } });
    const chain = await devChain(openStore(":memory:"), genesis(off));
    for (let i = 0; i < 5; i++) await produce(chain, []);
    const res = await chain.call({ from: addrs[2], to: STAKING_ADDRESS_BYTES, data: report(record(2n, 2n)) });
    expect(reason(res.revertData)).toBe("staking: slashing is not active");
  });
});
