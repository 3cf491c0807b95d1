// Shared fixtures for the txpool tests: known keys, signed transactions and an in-memory state.
import { Hardfork, Mainnet, createCustomCommon } from "@ethereumjs/common";
import { createAccessList2930Tx, createFeeMarket1559Tx, createLegacyTx } from "@ethereumjs/tx";
import type { AccessList } from "@ethereumjs/tx";
import { bytesToHex, privateToAddress } from "@ethereumjs/util";
import { createTxPool } from "../../../src/txpool/index.ts";
import type { PoolStateReader, TxPool, TxPoolOpts } from "../../../src/txpool/index.ts";

export const CHAIN_ID = 31337n;
export const GWEI = 10n ** 9n;
export const ETHER = 10n ** 18n;
export const MIN_GAS_PRICE = 1n * GWEI;
export type Hex = `0x${string}`;
export const TO: Hex = `0x${"22".repeat(20)}`;

/** Private key i (1-based, i ≤ 2^32): 31 zero bytes then i, a valid secp256k1 scalar. */
export function key(i: number): Uint8Array {
  const k = new Uint8Array(32);
  new DataView(k.buffer).setUint32(28, i);
  return k;
}

/** `0x` lowercase address of key i. */
export function addr(i: number): Hex {
  return bytesToHex(privateToAddress(key(i)));
}

export function commonFor(chainId: bigint, hardfork: string = Hardfork.Cancun) {
  return createCustomCommon({ chainId: chainId.toString() }, Mainnet, { hardfork });
}

export interface TxSpec {
  from: number;
  nonce: number | bigint;
  type?: 0 | 1 | 2;
  /** Legacy/2930 gas price, or 1559 max fee. */
  price?: bigint;
  /** 1559 max priority fee; defaults to `price`. */
  tip?: bigint;
  gasLimit?: bigint;
  to?: Hex | null;
  value?: bigint;
  data?: Uint8Array;
  accessList?: AccessList;
  chainId?: bigint;
  hardfork?: string;
  allowUnlimitedInitCodeSize?: boolean;
}

/** A signed transaction object built from `spec`. */
export function signTx(spec: TxSpec) {
  const common = commonFor(spec.chainId ?? CHAIN_ID, spec.hardfork);
  const opts = { common, allowUnlimitedInitCodeSize: spec.allowUnlimitedInitCodeSize ?? false };
  const price = spec.price ?? 2n * GWEI;
  const base = {
    nonce: BigInt(spec.nonce),
    gasLimit: spec.gasLimit ?? 21000n,
    to: spec.to === null ? undefined : (spec.to ?? TO),
    value: spec.value ?? 1n,
    data: spec.data ?? new Uint8Array(0),
  };
  const type = spec.type ?? 2;
  if (type === 0) return createLegacyTx({ ...base, gasPrice: price }, opts).sign(key(spec.from));
  if (type === 1) {
    return createAccessList2930Tx({ ...base, gasPrice: price, accessList: spec.accessList ?? [] }, opts).sign(key(spec.from));
  }
  return createFeeMarket1559Tx(
    { ...base, maxFeePerGas: price, maxPriorityFeePerGas: spec.tip ?? price, accessList: spec.accessList ?? [] },
    opts,
  ).sign(key(spec.from));
}

/** Canonical encoding of the signed transaction built from `spec`. */
export function rawTx(spec: TxSpec): Uint8Array {
  return signTx(spec).serialize();
}

/** Accounts at the head, as the node wiring's state reader would report them. */
export class MemState implements PoolStateReader {
  readonly accounts = new Map<string, { nonce: bigint; balance: bigint }>();
  defaultBalance = 1000n * ETHER;
  /** What the head's config rule gives as the next block's base fee. */
  baseFee = MIN_GAS_PRICE;
  set(i: number, a: { nonce?: bigint; balance?: bigint }): void {
    const cur = this.get(addr(i));
    this.accounts.set(addr(i), { nonce: a.nonce ?? cur.nonce, balance: a.balance ?? cur.balance });
  }
  private get(address: string) {
    return this.accounts.get(address) ?? { nonce: 0n, balance: this.defaultBalance };
  }
  getNonce(address: Uint8Array): bigint {
    return this.get(bytesToHex(address)).nonce;
  }
  getBalance(address: Uint8Array): Promise<bigint> {
    return Promise.resolve(this.get(bytesToHex(address)).balance);
  }
  nextBaseFee(): bigint {
    return this.baseFee;
  }
}

export class ManualClock {
  t = 1_700_000_000_000;
  now(): number {
    return this.t;
  }
}

export function makePool(over: Partial<TxPoolOpts> = {}) {
  const state = new MemState();
  const clock = new ManualClock();
  const pool: TxPool = createTxPool(
    { chainId: CHAIN_ID, minGasPrice: MIN_GAS_PRICE, blockGasLimit: 30_000_000n, ...over },
    { state, clock },
  );
  return { pool, state, clock };
}

/** The code of the TxPoolError `p` rejects with. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code ?? `untyped: ${(e as Error).message}`;
  }
  return "accepted";
}
