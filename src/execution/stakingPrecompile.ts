/**
 * The staking system contract at 0x…fc (DESIGN §Staking) as an EVM precompile: it decodes the call
 * with the contract's ABI and runs the staking operation on the world state the EVM is using, so the
 * EVM's journal undoes its writes when the call (or an enclosing one) reverts. `@ethereumjs/evm` hands
 * a precompile neither the caller nor the value, so they come from the EVM's own message events
 * (a stack of the frames in progress), never from calldata.
 * @module
 */
import { EVMError, type EVM, type ExecResult, type PrecompileInput } from "@ethereumjs/evm";
import { type ChainConfig } from "../core/index.ts";
import type { BLS } from "../crypto/index.ts";
import { type EVMStateManager, WorldState } from "../state/index.ts";
import {
  AbiDecodeError, STAKING_ADDRESS_BYTES, STAKING_FUNCTIONS, StakingError, StakingErrorCode, StakingState, decodeAbiParameters, encodeAbiParameters,
  offenceSnapshotBlock, processCollectRewards, processCreateValidator, processDelegate, processEditValidator, processReportDoubleSign, processSetAutoCompound, processUndelegate,
  type AbiValue, type Description, type StakingContext, type StakingFunctionName,
} from "../staking/index.ts";
import { trackMessageFrames } from "./_messageFrames.ts";
import { isBeacon } from "../core/index.ts";

/**
 * Gas of each staking call, charged whatever its outcome. createValidator is priced like Harmony's
 * validator-creation intrinsic gas (5.3M); the others like a few storage writes.
 */
export const STAKING_GAS: Readonly<Record<StakingFunctionName, bigint>> = {
  createValidator: 5_300_000n,
  editValidator: 200_000n,
  Delegate: 100_000n,
  Undelegate: 100_000n,
  CollectRewards: 100_000n,
  setAutoCompound: 50_000n,
  // Two BLS verifications and a pass over the offender's delegations.
  reportDoubleSign: 500_000n,
};

/** What the precompile needs from its surroundings. */
export interface StakingPrecompileOptions {
  readonly config: ChainConfig;
  readonly shardId: number;
  /** Number of the block being executed (or simulated). */
  readonly blockNumber: () => bigint;
  /** BLS for key checks and proofs of possession. */
  readonly bls: () => Promise<Pick<BLS, "isValidPublicKey" | "popVerify" | "verify">>;
  /**
   * State root of the canonical block `n` (undefined when unknown): reportDoubleSign reads the
   * offence epoch's staking snapshot from it. Without it, reports revert.
   */
  readonly stateRootAt?: (n: bigint) => Uint8Array | undefined;
}

const ERROR_SELECTOR = Uint8Array.of(0x08, 0xc3, 0x79, 0xa0);

/** Solidity's `Error(string)` revert data. */
export function encodeRevertReason(reason: string): Uint8Array {
  const body = encodeAbiParameters([{ kind: "string" }], [reason]);
  const out = new Uint8Array(4 + body.length);
  out.set(ERROR_SELECTOR);
  out.set(body, 4);
  return out;
}

function revert(gas: bigint, reason: string): ExecResult {
  return { executionGasUsed: gas, returnValue: encodeRevertReason(reason), exceptionError: new EVMError(EVMError.errorMessages.REVERT) };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

function description(v: AbiValue): Description {
  const [name, identity, website, securityContact, details] = v as string[];
  return { name: name ?? "", identity: identity ?? "", website: website ?? "", securityContact: securityContact ?? "", details: details ?? "" };
}

function dispatch(state: StakingState, ctx: StakingContext, name: StakingFunctionName, a: AbiValue[], opts: StakingPrecompileOptions): void {
  switch (name) {
    case "reportDoubleSign": {
      if (!opts.config.isActive("slashing", ctx.epoch)) throw new StakingError({ code: StakingErrorCode.BAD_EVIDENCE }, "staking: slashing is not active");
      const snapshotAt = (epoch: bigint) => {
        const root = opts.stateRootAt?.(offenceSnapshotBlock(opts.config.epochBlocks, epoch));
        return root === undefined ? undefined : new StakingState(new WorldState(state.world.store, root));
      };
      processReportDoubleSign(state, a[0] as Uint8Array, { reporter: ctx.caller, params: ctx.params, epochBlocks: opts.config.epochBlocks, epoch: ctx.epoch, bls: ctx.bls, snapshotAt });
      return;
    }
    case "createValidator": {
      const [rate, maxRate, maxChangeRate] = a[1] as bigint[];
      processCreateValidator(state, ctx, {
        description: description(a[0] as AbiValue),
        rate: rate as bigint,
        maxRate: maxRate as bigint,
        maxChangeRate: maxChangeRate as bigint,
        minSelfDelegation: a[2] as bigint,
        maxTotalDelegation: a[3] as bigint,
        blsKeys: a[4] as Uint8Array[],
        blsKeySigs: a[5] as Uint8Array[],
      });
      return;
    }
    case "editValidator":
      processEditValidator(state, ctx, {
        description: description(a[0] as AbiValue),
        rate: a[1] as bigint,
        minSelfDelegation: a[2] as bigint,
        maxTotalDelegation: a[3] as bigint,
        slotKeyToRemove: a[4] as Uint8Array,
        slotKeyToAdd: a[5] as Uint8Array,
        slotKeyToAddSig: a[6] as Uint8Array,
        status: a[7] as bigint,
      });
      return;
    case "Delegate":
      processDelegate(state, ctx, a[0] as Uint8Array, a[1] as Uint8Array, a[2] as bigint);
      return;
    case "Undelegate":
      processUndelegate(state, ctx, a[0] as Uint8Array, a[1] as Uint8Array, a[2] as bigint);
      return;
    case "CollectRewards":
      processCollectRewards(state, ctx, a[0] as Uint8Array);
      return;
    case "setAutoCompound":
      processSetAutoCompound(state, ctx, a[0] as Uint8Array, a[1] as boolean);
      return;
  }
}

/**
 * Install the staking contract on `evm`: returns the precompile function for `customPrecompiles`,
 * after hooking the message events it reads the caller and value from.
 */
export function createStakingPrecompile(opts: StakingPrecompileOptions): { precompile: (input: PrecompileInput) => Promise<ExecResult>; attach(evm: EVM): void } {
  // The top frame is the call to the precompile when it runs.
  const frames = trackMessageFrames();
  const attach = (evm: EVM) => frames.attach(evm);
  const precompile = async (input: PrecompileInput): Promise<ExecResult> => {
    const m = frames.top();
    const selector = input.data.length >= 4 ? ((input.data[0] as number) * 2 ** 24 + ((input.data[1] as number) << 16) + ((input.data[2] as number) << 8) + (input.data[3] as number)) : -1;
    const fn = STAKING_FUNCTIONS.get(selector);
    const gas = fn === undefined ? 0n : STAKING_GAS[fn.name];
    if (gas > input.gasLimit) return { executionGasUsed: input.gasLimit, returnValue: new Uint8Array(0), exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS) };
    if (fn === undefined) return revert(gas, "staking: unknown function");
    if (!isBeacon(opts.shardId)) return revert(gas, "staking: staking lives on the beacon chain (shard 0)");
    if (m === undefined || m.to === undefined || !sameBytes(m.to.bytes, STAKING_ADDRESS_BYTES) || m.delegatecall) return revert(gas, "staking: call the staking contract directly (no DELEGATECALL/CALLCODE)");
    if (m.isStatic) return revert(gas, "staking: state change in a static call");
    if (m.value > 0n && !fn.payable) return revert(gas, `staking: ${fn.name} takes no value`);
    let args: AbiValue[];
    try {
      args = decodeAbiParameters(fn.inputs, input.data.subarray(4));
    } catch (e) {
      if (e instanceof AbiDecodeError) return revert(gas, `staking: bad calldata for ${fn.name}: ${e.message}`);
      throw e;
    }
    const world = (input._EVM.stateManager as unknown as EVMStateManager).world;
    const blockNumber = opts.blockNumber();
    const ctx: StakingContext = {
      caller: m.caller.bytes,
      value: m.value,
      epoch: opts.config.epochOf(blockNumber),
      blockNumber,
      params: opts.config.staking,
      bls: await opts.bls(),
    };
    try {
      dispatch(new StakingState(world), ctx, fn.name, args, opts);
    } catch (e) {
      if (e instanceof StakingError) return revert(gas, e.message);
      throw e;
    }
    return { executionGasUsed: gas, returnValue: new Uint8Array(0) };
  };
  return { precompile, attach };
}
