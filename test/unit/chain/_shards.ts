// Shared helpers of the sharded chain tests: a 2-shard network in memory (a beacon chain and shard 1
// chains following it), real BLS commit proofs for crosslinks, cross-shard transfer transactions.
import { createTx } from "@ethereumjs/tx";
import { encodeFunctionData } from "viem";
import {
  type Block, ChainConfig, type CxProof, DEV_CHAIN_CONFIG, type GenesisSpec, type Header, type SignedTransaction, commitPayload, createDevGenesis, createShardCommon,
} from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { type BeaconView, Chain } from "../../../src/chain/index.ts";
import { CX_ABI, CX_ADDRESS_BYTES } from "../../../src/execution/index.ts";
import { type CrossLink, createCrossLink } from "../../../src/shard/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";
import { GWEI, keys } from "./_helpers.ts";

/** Two shards, 4-block epochs, cross-shard transfers and crosslinks active, staking off (genesis committees throughout). */
export function shardConfig(over: Partial<ReturnType<ChainConfig["toData"]>> = {}): ChainConfig {
  const base = DEV_CHAIN_CONFIG.toData();
  return new ChainConfig({
    ...base, shardCount: 2, epochBlocks: 4,
    activationEpochs: { ...base.activationEpochs, staking: null, slashing: null, vrf: null, vdf: null },
    ...over,
  });
}

/** BLS keys: one beacon key, four shard-1 keys (three of them sign a quorum). */
export interface ShardKeys {
  bls: BLS;
  beacon: Uint8Array[];
  shard1: Uint8Array[];
  secret: Map<string, Uint8Array>;
}

export async function shardKeys(): Promise<ShardKeys> {
  const bls = await createBLS();
  const secret = new Map<string, Uint8Array>();
  const pks = [1, 2, 3, 4, 5].map((i) => {
    const sk = bls.keygen(new Uint8Array(32).fill(40 + i));
    const pk = bls.secretToPublic(sk);
    secret.set(bytesToHex(pk), sk);
    return pk;
  });
  return { bls, beacon: pks.slice(0, 1), shard1: pks.slice(1), secret };
}

export function shardGenesis(k: ShardKeys, config = shardConfig()): GenesisSpec {
  return createDevGenesis({ config, committees: [k.beacon, k.shard1] });
}

/** A beacon chain on a fresh in-memory store. */
export function openBeacon(genesis: GenesisSpec): Promise<Chain> {
  return Chain.open(openStore(":memory:"), { genesis, senderPool: null });
}

/** A shard-1 chain following `beacon`. */
export function openShard1(genesis: GenesisSpec, beacon: BeaconView, epochCloseDelayBlocks?: number): Promise<Chain> {
  return Chain.open(openStore(":memory:"), { genesis, shardId: 1, senderPool: null, beacon, ...(epochCloseDelayBlocks !== undefined ? { epochCloseDelayBlocks } : {}) });
}

/** The crosslink of shard-1 `header`, its commit signed by the first three shard-1 keys (slots 0-2). */
export function signedCrossLink(k: ShardKeys, header: Header): CrossLink {
  const msg = commitPayload(header.number, header.hash, header.viewId);
  const signers = k.shard1.slice(0, 3);
  const signature = k.bls.aggregateSignatures(signers.map((pk) => k.bls.sign(k.secret.get(bytesToHex(pk)) as Uint8Array, msg)));
  return createCrossLink(header, { signature, bitmap: Uint8Array.of(0b0111) });
}

/** A signed EIP-1559 call of `crossShardTransfer(amount, to, toShard)` from dev account `from`, on shard `shardId`. */
export function cxTx(config: ChainConfig, shardId: number, from: number, nonce: bigint, amount: bigint, to: Uint8Array, toShard: number): SignedTransaction {
  const data = hexToBytes(encodeFunctionData({ abi: CX_ABI, functionName: "crossShardTransfer", args: [amount, bytesToHex(to) as `0x${string}`, toShard] }));
  return createTx(
    { type: 2, chainId: config.chainId(shardId), nonce, to: CX_ADDRESS_BYTES, value: amount, data, gasLimit: 100_000n, maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: 0n },
    { common: createShardCommon(config, shardId) },
  ).sign(keys[from] as Uint8Array) as SignedTransaction;
}

/** Produce (and commit) the next block of `chain` with `txs` and the offered crosslinks / incoming proofs. */
export async function produceNext(chain: Chain, txs: SignedTransaction[] = [], o: { pendingCrossLinks?: CrossLink[]; pendingIncoming?: CxProof[] } = {}): Promise<Block> {
  const built = await chain.produceBlock(
    txs.map((tx) => ({ tx, sender: tx.getSenderAddress().bytes })),
    { timestamp: chain.head.timestamp + 1n, ...o },
  );
  if (built === undefined) throw new Error("no block");
  return built.block;
}

/** A fresh 20-byte address. */
export const addr = (b: number) => new Uint8Array(20).fill(b);
