/**
 * The EVM of a shard: `@ethereumjs/evm` with Cancun rules and the shard's chain id, our state manager,
 * and BLOCKHASH answered from the canonical chain; plus the block context a header gives the EVM.
 */
import type { Common } from "@ethereumjs/common";
import { EVM, type EVMMockBlockchainInterface, createEVM, getOpcodesForHF, paramsEVM } from "@ethereumjs/evm";
import { Address, createAddressFromString } from "@ethereumjs/util";
import type { ChainConfig, Header } from "../core/index.ts";
import { createShardCommon } from "../core/index.ts";
import { EVMStateManager, type StateStore, WorldState } from "../state/index.ts";
import { EMPTY_TRIE_ROOT } from "../core/index.ts";
import type { CallPacer } from "./callPacer.ts";
import { type BLS, createBLS } from "../crypto/index.ts";
import { STAKING_CONTRACT_ADDRESS } from "../staking/index.ts";
import { createStakingPrecompile } from "./stakingPrecompile.ts";
import { CX_CONTRACT_ADDRESS } from "./cxAbi.ts";
import { createCxPrecompile } from "./cxPrecompile.ts";

/** Canonical block hash by number (undefined when unknown); BLOCKHASH reads it. */
export type BlockHashLookup = (number: bigint) => Uint8Array | undefined;

/** The block fields execution needs (a header, or a pending block for calls). */
export interface BlockContext {
  number: bigint;
  timestamp: bigint;
  coinbase: Uint8Array;
  gasLimit: bigint;
  /** PREVRANDAO. */
  mixHash: Uint8Array;
  baseFee: bigint;
}

/** The block context of a header; the base fee is the header's own (validated against the config rule). */
export function blockContextOf(header: Header): BlockContext {
  return {
    number: header.number,
    timestamp: header.timestamp,
    coinbase: header.coinbase,
    gasLimit: header.gasLimit,
    mixHash: header.mixHash,
    baseFee: header.baseFeePerGas,
  };
}

/** The block shape `@ethereumjs/evm` takes. */
export type EVMBlock = NonNullable<Parameters<EVM["runCall"]>[0]["block"]>;

/** The EVM's block object for a context. Blob gas price is the EIP-4844 minimum (no blob transactions here). */
export function toEVMBlock(ctx: BlockContext): EVMBlock {
  return {
    header: {
      number: ctx.number,
      coinbase: new Address(ctx.coinbase),
      timestamp: ctx.timestamp,
      difficulty: 0n,
      prevRandao: ctx.mixHash,
      gasLimit: ctx.gasLimit,
      baseFeePerGas: ctx.baseFee,
      getBlobGasPrice: () => 1n,
    },
  };
}

function blockchainOf(lookup: BlockHashLookup): EVMMockBlockchainInterface {
  const bc: EVMMockBlockchainInterface = {
    getBlock: async (n: number) => {
      const h = lookup(BigInt(n)) ?? new Uint8Array(32);
      return { hash: () => h };
    },
    putBlock: async () => {},
    shallowCopy: () => bc,
  };
  return bc;
}

/** An EVM with its state manager; `stateManager.world` is swapped per block or call. */
export interface ShardEVM {
  readonly evm: EVM;
  readonly stateManager: EVMStateManager;
  readonly common: Common;
  /** The shard this EVM executes (the source shard of the cross-shard receipts it emits). */
  readonly shardId: number;
  /** Unprefixed hex addresses of the active precompiles. */
  readonly precompiles: ReadonlySet<string>;
  /** The block being executed; system contracts read it (set by whoever runs a message). */
  readonly current: { blockNumber: bigint };
}

/** Options of {@link createShardEVM}. */
export interface ShardEVMOptions {
  /** Give up a call once this clock time (ms) has passed; checked at jumps. For `eth_call` only. */
  deadline?: () => number;
  /** With `deadline`: hand the thread back between slices of a long call (see callPacer.ts). */
  pacer?: CallPacer;
  /** BLS for the staking contract's key checks (default: one instance per process, native where it loads). */
  bls?: () => Promise<Pick<BLS, "isValidPublicKey" | "popVerify" | "verify">>;
  /** State root of canonical block `n`: the staking contract's reportDoubleSign reads snapshots with it. */
  stateRootAt?: (n: bigint) => Uint8Array | undefined;
}

let processBLS: Promise<BLS> | undefined;

/** The process's BLS instance (native where it loads), created on first use and shared. */
export function getProcessBLS(): Promise<BLS> {
  return (processBLS ??= createBLS());
}

/** Thrown out of the interpreter when a call passes its deadline (not an EVM halt: it aborts the call). */
export class DeadlineExceeded extends Error {
  constructor() {
    super("execution deadline exceeded");
    this.name = "DeadlineExceeded";
  }
}

/** Create the EVM of `shardId` over `store`. */
export async function createShardEVM(config: ChainConfig, shardId: number, store: StateStore, getBlockHash: BlockHashLookup, opts: ShardEVMOptions = {}): Promise<ShardEVM> {
  const common = createShardCommon(config, shardId);
  const stateManager = new EVMStateManager(new WorldState(store, EMPTY_TRIE_ROOT));
  const current = { blockNumber: 0n };
  const staking = createStakingPrecompile({
    config,
    shardId,
    blockNumber: () => current.blockNumber,
    bls: opts.bls ?? getProcessBLS,
    ...(opts.stateRootAt ? { stateRootAt: opts.stateRootAt } : {}),
  });
  const cx = createCxPrecompile({ config, shardId, blockNumber: () => current.blockNumber });
  // The deadline opcodes read the opcode fees before createEVM has added the EVM's params to this
  // Common; without this the first EVM of a process built for a call fails ("Missing parameter").
  if (opts.deadline) common.updateParams(paramsEVM);
  const evm = await createEVM({
    common,
    stateManager,
    blockchain: blockchainOf(getBlockHash),
    customOpcodes: opts.deadline ? deadlineOpcodes(common, opts.deadline, opts.pacer) : [],
    customPrecompiles: [
      { address: createAddressFromString(STAKING_CONTRACT_ADDRESS), function: staking.precompile },
      { address: createAddressFromString(CX_CONTRACT_ADDRESS), function: cx.precompile },
    ],
  });
  staking.attach(evm);
  cx.attach(evm);
  return { evm, stateManager, common, shardId, precompiles: new Set(evm.precompiles.keys()), current };
}

// JUMP and JUMPI wrapped with a clock check every 256 jumps: any long-running code loops through
// them. With a pacer the call also yields the thread there once its slice is used up, and checks the
// deadline again when its turn comes back (the wait counts against the call's time).
function deadlineOpcodes(common: Common, deadline: () => number, pacer: CallPacer | undefined) {
  const { opcodes, handlers } = getOpcodesForHF(common);
  let count = 0;
  const slice = pacer?.startSlice();
  return [0x56, 0x57].map((op) => {
    const info = opcodes.get(op);
    const handler = handlers.get(op);
    if (info === undefined || handler === undefined) throw new Error(`opcode ${op} missing`);
    return {
      opcode: op,
      opcodeName: info.name,
      baseFee: Number(info.fee),
      logicFunction: (runState: Parameters<typeof handler>[0], c: Common) => {
        if ((++count & 255) !== 0) return handler(runState, c);
        if (Date.now() > deadline()) throw new DeadlineExceeded();
        const wait = slice?.check();
        if (wait === undefined) return handler(runState, c);
        return wait.then(() => {
          if (Date.now() > deadline()) throw new DeadlineExceeded();
          return handler(runState, c);
        });
      },
    };
  });
}
