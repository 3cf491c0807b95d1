/**
 * Running one message (a transaction, or an `eth_call`) against a world state: buy gas, transfer or
 * run the EVM, refund (EIP-3529 cap), burn every fee (DESIGN §3: no coinbase payment), delete
 * self-destructed (EIP-6780) and touched-empty (EIP-161) accounts. Plain value transfers to accounts
 * without code skip the interpreter: same state change, far less work.
 */
import { EVMError } from "@ethereumjs/evm";
import { Address, bytesToUnprefixedHex, createAddressFromString } from "@ethereumjs/util";
import { type Log, createReceipt, type Receipt } from "../core/index.ts";
import { type AccountRecord, EMPTY_ACCOUNT, type WorldState, hasCode, isEmptyAccount } from "../state/index.ts";
import type { EVMBlock, ShardEVM } from "./evmEnv.ts";

/** A message ready to run: checks (nonce, funds, fees) already done by the caller. */
export interface Message {
  from: Uint8Array;
  /** undefined = contract creation. */
  to: Uint8Array | undefined;
  value: bigint;
  data: Uint8Array;
  gasLimit: bigint;
  /** Price actually paid per gas (burnt). */
  gasPrice: bigint;
  intrinsicGas: bigint;
  /** EIP-2930 access list: unprefixed hex address → unprefixed hex slots. */
  accessList: { address: string; storageKeys: string[] }[];
  /** Transaction type, for the receipt. */
  type: number;
}

/** What running a message did. */
export interface MessageResult {
  /** Gas charged after refunds. */
  gasUsed: bigint;
  /** Wei burnt: gasUsed × gasPrice. */
  burnt: bigint;
  success: boolean;
  returnData: Uint8Array;
  logs: Log[];
  /** EVM halt reason ("revert", "out of gas", …) when not successful. */
  error?: string;
  createdAddress?: Uint8Array;
  /** True when the interpreter was skipped (plain transfer). */
  fastPath: boolean;
}

/** True when the message can skip the interpreter: a call to an account without code that is not a precompile. */
export function isPlainTransfer(evm: ShardEVM, world: WorldState, m: Message): boolean {
  if (m.to === undefined) return false;
  if (hasCode(world.getAccount(m.to))) return false;
  if (m.to[0] === 0 && m.to[1] === 0 && evm.precompiles.has(bytesToUnprefixedHex(m.to))) return false;
  return true;
}

/** Run a plain transfer directly on the world state (no interpreter). */
export function applyTransfer(world: WorldState, m: Message, sender: AccountRecord): MessageResult {
  const to = m.to as Uint8Array;
  const burnt = m.intrinsicGas * m.gasPrice;
  world.putAccount(m.from, { ...sender, nonce: sender.nonce + 1n, balance: sender.balance - burnt - m.value });
  const target = world.getAccount(to);
  if (target !== null || m.value > 0n) {
    const next = { ...(target ?? EMPTY_ACCOUNT), balance: (target?.balance ?? 0n) + m.value };
    // EIP-161: a touched account that ends up empty is deleted (and a missing one is not created).
    world.putAccount(to, isEmptyAccount(next) ? null : next);
  }
  return { gasUsed: m.intrinsicGas, burnt, success: true, returnData: new Uint8Array(0), logs: [], fastPath: true };
}

/** Run a message through the EVM. The caller has set `evm.stateManager.world`. */
export async function applyEVMMessage(shard: ShardEVM, block: EVMBlock, m: Message, sender: AccountRecord): Promise<MessageResult> {
  const { evm } = shard;
  const world = shard.stateManager.world;
  const journal = evm.journal;
  journal.cleanJournal();
  for (const p of shard.precompiles) journal.addAlwaysWarmAddress(p);
  journal.addAlwaysWarmAddress(bytesToUnprefixedHex(m.from));
  if (m.to !== undefined) journal.addAlwaysWarmAddress(bytesToUnprefixedHex(m.to));
  journal.addAlwaysWarmAddress(bytesToUnprefixedHex(block.header.coinbase.bytes)); // EIP-3651
  for (const item of m.accessList) {
    journal.addAlwaysWarmAddress(item.address, true);
    for (const k of item.storageKeys) journal.addAlwaysWarmSlot(item.address, k, true);
  }
  world.checkpoint();
  // Buy gas up front; runCall increments the nonce at depth 0.
  world.putAccount(m.from, { ...sender, balance: sender.balance - m.gasLimit * m.gasPrice });
  const caller = new Address(m.from);
  shard.current.blockNumber = block.header.number;
  const res = await evm.runCall({
    block,
    gasPrice: m.gasPrice,
    caller,
    origin: caller,
    gasLimit: m.gasLimit - m.intrinsicGas,
    to: m.to === undefined ? undefined : new Address(m.to),
    value: m.value,
    data: m.data,
  });
  const exec = res.execResult;
  let gasUsed = exec.executionGasUsed + m.intrinsicGas;
  const refundCap = gasUsed / 5n; // EIP-3529
  const refund = (exec.gasRefund ?? 0n) < refundCap ? (exec.gasRefund ?? 0n) : refundCap;
  gasUsed -= refund;
  const after = world.getAccount(m.from) as AccountRecord;
  world.putAccount(m.from, { ...after, balance: after.balance + (m.gasLimit - gasUsed) * m.gasPrice });
  // Fees are burnt: nothing is credited to the coinbase.
  const created = exec.createdAddresses ?? new Set<string>();
  for (const [addr] of exec.selfdestruct ?? new Map<string, string>()) {
    if (created.has(addr)) await journal.deleteAccount(createAddressFromString(addr)); // EIP-6780
  }
  await journal.cleanup(); // EIP-161: delete touched empty accounts
  world.commitCheckpoint();
  const failed = exec.exceptionError !== undefined;
  return {
    gasUsed,
    burnt: gasUsed * m.gasPrice,
    success: !failed,
    returnData: exec.returnValue,
    logs: failed ? [] : (exec.logs ?? []).map(([address, topics, data]) => ({ address, topics, data })),
    ...(failed ? { error: (exec.exceptionError as EVMError).error } : {}),
    ...(res.createdAddress !== undefined && !failed ? { createdAddress: res.createdAddress.bytes } : {}),
    fastPath: false,
  };
}

/** Run a message: the fast path for plain transfers, else the EVM. */
export async function applyMessage(shard: ShardEVM, block: EVMBlock, m: Message): Promise<MessageResult> {
  const world = shard.stateManager.world;
  world.beginTx();
  const sender = world.getAccount(m.from) ?? EMPTY_ACCOUNT;
  if (isPlainTransfer(shard, world, m)) return applyTransfer(world, m, sender);
  return applyEVMMessage(shard, block, m, sender);
}

/** The receipt of a message result at a cumulative gas. */
export function receiptOf(m: Message, r: MessageResult, cumulativeGasUsed: bigint): Receipt {
  return createReceipt({ type: m.type, status: r.success ? 1 : 0, cumulativeGasUsed, logs: r.logs });
}
