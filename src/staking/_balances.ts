/** Moving native balance in and out of accounts for staking operations. */
import { EMPTY_ACCOUNT, type WorldState } from "../state/index.ts";
import { StakingErrorCode, refuse } from "./errors.ts";

/** Balance of `addr` (0 for no account). */
export function balanceOf(world: WorldState, addr: Uint8Array): bigint {
  return world.getAccount(addr)?.balance ?? 0n;
}

/** Add `amount` to `addr`'s balance, creating the account when needed. */
export function credit(world: WorldState, addr: Uint8Array, amount: bigint): void {
  if (amount === 0n) return;
  const a = world.getAccount(addr) ?? EMPTY_ACCOUNT;
  world.putAccount(addr, { ...a, balance: a.balance + amount });
}

/**
 * Take `amount` from `addr`'s balance.
 * @throws {StakingError} INSUFFICIENT_BALANCE when it holds less.
 */
export function debit(world: WorldState, addr: Uint8Array, amount: bigint): void {
  if (amount === 0n) return;
  const a = world.getAccount(addr);
  const have = a?.balance ?? 0n;
  if (a === null || have < amount) refuse(StakingErrorCode.INSUFFICIENT_BALANCE, `insufficient balance: have ${have}, want ${amount}`, { have, want: amount });
  world.putAccount(addr, { ...a, balance: have - amount });
}
