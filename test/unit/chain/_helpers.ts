// Shared helpers of the chain/execution unit tests: dev chain in memory, signed dev-account txs.
import { expect } from "bun:test";
import { createTx } from "@ethereumjs/tx";
import { privateKeyToAddress } from "../../../src/crypto/index.ts";
import { DEV_ACCOUNTS, DEV_CHAIN_CONFIG, type Header, type SignedTransaction, createDevGenesis, createShardCommon, type GenesisSpec } from "../../../src/core/index.ts";
import { Chain } from "../../../src/chain/index.ts";
import { type CandidateTx, SUPPLY_ACCOUNT_BYTES, type SupplyTotals, getSupplyTotals } from "../../../src/execution/index.ts";
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

/**
 * The supply account's four slots in the state of every block of `chain` equal the chain's supply
 * records of that block (issued, fees + slashes burnt, cx out, cx in from genesis); genesis has none.
 * Returns the head's totals.
 */
export function expectSupplyAccount(chain: Chain): SupplyTotals {
  let last: SupplyTotals = { issued: 0n, burnt: 0n, cxOut: 0n, cxIn: 0n };
  for (let n = 0n; n <= chain.head.number; n++) {
    const h = chain.getHeaderByNumber(n) as Header;
    const world = new WorldState(chain.state, h.stateRoot);
    const r = chain.getBurntFees(h.hash);
    const records = { issued: r?.cumulativeIssued ?? 0n, burnt: (r?.cumulativeBurnt ?? 0n) + (r?.cumulativeBurntSlashes ?? 0n), cxOut: r?.cumulativeCxOut ?? 0n, cxIn: r?.cumulativeCxIn ?? 0n };
    last = getSupplyTotals(world);
    expect({ block: n, ...last }).toEqual({ block: n, ...records });
    // Written from block 1 on, with a nonce so EIP-161 never removes it; genesis state is as before.
    expect(world.getAccount(SUPPLY_ACCOUNT_BYTES)?.nonce ?? 0n).toBe(n === 0n ? 0n : 1n);
  }
  return last;
}
