/**
 * The cross-shard system contract at 0x…f9 (DESIGN §Sharding) as an EVM precompile:
 * `crossShardTransfer(amount, to, toShardID)` with msg.value = amount. The EVM has already moved the
 * value into the contract's account; the precompile takes it out again (it leaves this shard: counted
 * as sent cross-shard, not burnt) and logs `CrossShardTransfer`, from which execution builds the CX
 * receipt once the transaction is done. Both are undone with the frame if it (or a caller) reverts:
 * the balance by the state journal, the log by the EVM. Caller and value come from the EVM's message
 * frames, as in the staking precompile.
 * @module
 */
import { EVMError, type EVM, type ExecResult, type PrecompileInput } from "@ethereumjs/evm";
import type { ChainConfig } from "../core/index.ts";
import { type EVMStateManager } from "../state/index.ts";
import { AbiDecodeError, type AbiValue, decodeAbiParameters, encodeAbiParameters } from "../staking/index.ts";
import { CX_ADDRESS_BYTES, CX_TRANSFER_GAS, CX_TRANSFER_INPUTS, CX_TRANSFER_SELECTOR, CX_TRANSFER_TOPIC } from "./cxAbi.ts";
import { encodeRevertReason } from "./stakingPrecompile.ts";
import { trackMessageFrames } from "./_messageFrames.ts";

/** What the precompile needs from its surroundings. */
export interface CxPrecompileOptions {
  readonly config: ChainConfig;
  readonly shardId: number;
  /** Number of the block being executed (or simulated). */
  readonly blockNumber: () => bigint;
}

function revert(gas: bigint, reason: string): ExecResult {
  return { executionGasUsed: gas, returnValue: encodeRevertReason(reason), exceptionError: new EVMError(EVMError.errorMessages.REVERT) };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const word = (v: bigint | Uint8Array) => encodeAbiParameters([typeof v === "bigint" ? { kind: "uint", bits: 256 } : { kind: "address" }], [v]);

/** Why a well-formed call is refused, or null when it may proceed. */
function refusal(opts: CxPrecompileOptions, amount: bigint, value: bigint, toShard: bigint): string | null {
  if (!opts.config.isActive("crossShard", opts.config.epochOf(opts.blockNumber()))) return "cx: cross-shard transfers are not active";
  if (amount === 0n) return "cx: amount must be positive";
  if (amount !== value) return `cx: amount ${amount} differs from msg.value ${value}`;
  if (toShard === BigInt(opts.shardId)) return `cx: toShardID ${toShard} is this shard (send a plain transfer)`;
  if (toShard >= BigInt(opts.config.shardCount)) return `cx: unknown shard ${toShard} (the network has ${opts.config.shardCount})`;
  return null;
}

/**
 * Install the cross-shard contract on `evm`: returns the precompile function for
 * `customPrecompiles`, after hooking the message events it reads the caller and value from.
 */
export function createCxPrecompile(opts: CxPrecompileOptions): { precompile: (input: PrecompileInput) => Promise<ExecResult>; attach(evm: EVM): void } {
  // The top frame is the call to the precompile when it runs.
  const frames = trackMessageFrames();
  const attach = (evm: EVM) => frames.attach(evm);
  const precompile = async (input: PrecompileInput): Promise<ExecResult> => {
    const m = frames.top();
    const gas = CX_TRANSFER_GAS;
    if (gas > input.gasLimit) return { executionGasUsed: input.gasLimit, returnValue: new Uint8Array(0), exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS) };
    const d = input.data;
    const selector = d.length >= 4 ? (((d[0] as number) << 24) | ((d[1] as number) << 16) | ((d[2] as number) << 8) | (d[3] as number)) >>> 0 : -1;
    if (selector !== CX_TRANSFER_SELECTOR) return revert(gas, "cx: unknown function");
    if (m === undefined || m.to === undefined || !sameBytes(m.to.bytes, CX_ADDRESS_BYTES) || m.delegatecall) return revert(gas, "cx: call the cross-shard contract directly (no DELEGATECALL/CALLCODE)");
    if (m.isStatic) return revert(gas, "cx: state change in a static call");
    let args: AbiValue[];
    try {
      args = decodeAbiParameters(CX_TRANSFER_INPUTS, d.subarray(4));
    } catch (e) {
      if (e instanceof AbiDecodeError) return revert(gas, `cx: bad calldata for crossShardTransfer: ${e.message}`);
      throw e;
    }
    const [amount, to, toShard] = args as [bigint, Uint8Array, bigint];
    const refused = refusal(opts, amount, m.value, toShard);
    if (refused !== null) return revert(gas, refused);
    const world = (input._EVM.stateManager as unknown as EVMStateManager).world;
    const held = world.getAccount(CX_ADDRESS_BYTES);
    // The EVM credited msg.value to this account just before the call: it holds at least `amount`.
    if (held === null || held.balance < amount) throw new Error(`cx: contract balance ${held?.balance ?? 0n} below the value it was sent (${amount})`);
    world.putAccount(CX_ADDRESS_BYTES, { ...held, balance: held.balance - amount });
    const log: [Uint8Array, Uint8Array[], Uint8Array] = [CX_ADDRESS_BYTES.slice(), [CX_TRANSFER_TOPIC.slice(), word(m.caller.bytes), word(to), word(toShard)], word(amount)];
    return { executionGasUsed: gas, returnValue: new Uint8Array(0), logs: [log] };
  };
  return { precompile, attach };
}
