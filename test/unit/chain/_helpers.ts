// Shared helpers of the chain/execution unit tests: dev chain in memory, signed dev-account txs.
import { createTx } from "@ethereumjs/tx";
import { privateKeyToAddress } from "../../../src/crypto/index.ts";
import { DEV_ACCOUNTS, DEV_CHAIN_CONFIG, type SignedTransaction, createDevGenesis, createShardCommon, type GenesisSpec } from "../../../src/core/index.ts";
import { Chain } from "../../../src/chain/index.ts";
import type { CandidateTx } from "../../../src/execution/index.ts";
import { openStore, type KVStore } from "../../../src/store/index.ts";
import { hexToBytes } from "../../../src/util/index.ts";
import { WorldState } from "../../../src/state/index.ts";
import { STAKING_ADDRESS_BYTES, StakingState } from "../../../src/staking/index.ts";

export const common = createShardCommon(DEV_CHAIN_CONFIG, 0);
export const keys = DEV_ACCOUNTS.map((a) => hexToBytes(a.privateKey));
export const addrs = keys.map((k) => privateKeyToAddress(k));
export const GWEI = 1_000_000_000n;

/** A signed EIP-1559 tx from dev account `from`. */
export function tx(from: number, nonce: bigint, fields: { to?: Uint8Array; value?: bigint; data?: Uint8Array; gasLimit?: bigint; maxFeePerGas?: bigint; tip?: bigint } = {}): SignedTransaction {
  return createTx(
    {
      type: 2,
      chainId: 31337n,
      nonce,
      to: fields.to,
      value: fields.value ?? 0n,
      data: fields.data ?? new Uint8Array(0),
      gasLimit: fields.gasLimit ?? 21000n,
      maxFeePerGas: fields.maxFeePerGas ?? 2n * GWEI,
      maxPriorityFeePerGas: fields.tip ?? 0n,
    },
    { common },
  ).sign(keys[from] as Uint8Array) as SignedTransaction;
}

/** A signed legacy tx (EIP-155) from dev account `from`. */
export function legacyTx(from: number, nonce: bigint, fields: { to?: Uint8Array; value?: bigint; gasPrice?: bigint; gasLimit?: bigint; data?: Uint8Array } = {}): SignedTransaction {
  return createTx(
    { type: 0, nonce, to: fields.to, value: fields.value ?? 0n, gasPrice: fields.gasPrice ?? GWEI, gasLimit: fields.gasLimit ?? 21000n, data: fields.data ?? new Uint8Array(0) },
    { common },
  ).sign(keys[from] as Uint8Array) as SignedTransaction;
}

/** Candidates with known senders. */
export function candidates(txs: SignedTransaction[]): CandidateTx[] {
  return txs.map((t) => ({ tx: t, sender: t.getSenderAddress().bytes }));
}

/** A dev chain on an in-memory store (no worker pool, to keep unit tests single-threaded). */
export async function devChain(kv: KVStore = openStore(":memory:"), genesis: GenesisSpec = createDevGenesis()): Promise<Chain> {
  return Chain.open(kv, { genesis, senderPool: null });
}

/** Produce one block with `txs` at a timestamp. */
export async function produce(chain: Chain, txs: SignedTransaction[], timestamp = chain.head.timestamp + 1n) {
  const built = await chain.produceBlock(candidates(txs), { timestamp });
  if (built === undefined) throw new Error("no block");
  return built;
}

/** Every wei on the beacon chain: dev balances, the staking contract, pools, delegations. */
export function stakedSupply(chain: Chain): bigint {
  const world = new WorldState(chain.state, chain.head.stateRoot);
  const s = new StakingState(world);
  let total = addrs.reduce((n, a) => n + (world.getAccount(a)?.balance ?? 0n), 0n) + (world.getAccount(STAKING_ADDRESS_BYTES)?.balance ?? 0n);
  for (const v of s.validatorAddresses()) {
    total += s.getValidator(v)?.rewardPool ?? 0n;
    for (const d of s.delegationsOf(v)) total += d.amount + d.reward + d.undelegations.reduce((n, u) => n + u.amount, 0n);
  }
  return total;
}
