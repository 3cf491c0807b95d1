/**
 * The node's part of the random beacon (DESIGN §Randomness, issue 5): the chain derives and stores
 * each epoch's randomness from its beacon headers (src/chain/epochRandomnesses.ts); this checks a
 * proposal against the chain's accumulator with the consensus rule the chain leaves out (a required
 * VRF must be present; its signature is checked by the driver with the proposer's key), and does the
 * leader's duty: evaluate the VDF of pRnd in a Worker once per epoch and offer its output to the
 * blocks it builds inside the window. Final randomness is read from the chain.
 */
import type { Header } from "../core/index.ts";
import { type VDFEvaluateOptions, type VDFOutput, evaluateInWorker } from "../crypto/vdf/index.ts";
import {
  type EpochRandomness, type EpochRandomnessJSON, type EpochRandomnessState, type RandomnessParams, canIncludeVDF, encodeVDFField, epochRandomnessToJSON, getVDFTask, processBeaconHeader,
  randomnessFinalBlock,
} from "../randomness/index.ts";
import type { Logger } from "../util/logger.ts";

/** The chain as the beacon reads it (a beacon-shard `Chain` fits). */
export interface BeaconChain {
  readonly head: Header;
  /** The beacon's rules and the accumulator after the head; undefined off the beacon shard. */
  readonly randomness: { readonly params: RandomnessParams; readonly state: EpochRandomnessState } | undefined;
  /** An epoch's final randomness as the chain derived it. */
  epochRandomness(epoch: bigint): EpochRandomness | undefined;
}

/** Services of {@link RandomBeacon}. */
export interface RandomBeaconModules {
  readonly chain: BeaconChain;
  readonly logger: Logger;
  /** Evaluates the VDF (default: in a Worker); absent with `evaluateVDF: false`. */
  readonly evaluate?: (seed: Uint8Array, T: number, opts: VDFEvaluateOptions) => Promise<VDFOutput>;
}

/** Options of {@link RandomBeacon}. */
export interface RandomBeaconOptions {
  /** Evaluate the VDF and offer it to our blocks (validators: true; observers: false). */
  readonly evaluateVDF: boolean;
  /** Never put the VDF output into our blocks (`HARMONY_WITHHOLD_VDF=1`, for tests of the fallback rule). */
  readonly withholdVDF?: boolean;
}

/** The random beacon of a beacon-shard node. */
export class RandomBeacon {
  readonly params: RandomnessParams;
  readonly #o: RandomBeaconOptions;
  readonly #m: RandomBeaconModules;
  #job: { epoch: bigint; abort: AbortController } | undefined;
  #output: { epoch: bigint; out: VDFOutput } | undefined;
  #stopped = false;

  /**
   * Start on the chain's accumulator (the VDF of the head's epoch, if due).
   * @throws {RangeError} when the chain derives no randomness (not the beacon shard, or epochs shorter than the beacon's schedule).
   */
  constructor(opts: RandomBeaconOptions, modules: RandomBeaconModules) {
    const r = modules.chain.randomness;
    if (r === undefined) throw new RangeError("random beacon: the chain derives no epoch randomness (not the beacon shard, or epochs shorter than 4 blocks)");
    this.params = r.params;
    this.#o = opts;
    this.#m = modules;
    this.#startVDF();
  }

  /** The chain's accumulator now (after the head). */
  get state(): EpochRandomnessState {
    return (this.#m.chain.randomness as { state: EpochRandomnessState }).state;
  }

  /** After a committed beacon block: note a randomness made final, start the VDF once pRnd is fixed. */
  onCommitted(header: Header): void {
    if (header.number === randomnessFinalBlock(this.params, header.epoch)) {
      const r = this.#m.chain.epochRandomness(header.epoch);
      if (r !== undefined) this.#m.logger.info("epoch randomness final", { epoch: Number(r.epoch), source: r.source, randomness: epochRandomnessToJSON(r).randomness });
    }
    this.#startVDF();
  }

  /**
   * Check a proposal on the head against the chain's accumulator (VDF field, place in the epoch,
   * epoch field, VRF presence). Returns the reason it is invalid, or null.
   */
  checkProposal(header: Header): string | null {
    const state = this.state;
    if (header.number !== state.nextNumber) return `random beacon expects block ${state.nextNumber}, got ${header.number}`;
    try {
      processBeaconHeader(state, header, this.params);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** The `vdf` field for our block `number`, when it may carry one and our output is ready. */
  vdfFor(number: bigint): Uint8Array | undefined {
    const state = this.state;
    if (this.#o.withholdVDF || !canIncludeVDF(state, this.params, number)) return undefined;
    const o = this.#output;
    return o !== undefined && o.epoch === state.epoch ? encodeVDFField(o.out) : undefined;
  }

  /** The final randomness of `epoch` (RPC), or undefined when it is not final (or unknown). */
  get(epoch: bigint): EpochRandomnessJSON | undefined {
    const r = this.#m.chain.epochRandomness(epoch);
    return r === undefined ? undefined : epochRandomnessToJSON(r);
  }

  #startVDF(): void {
    const s = this.state;
    if (this.#job !== undefined && this.#job.epoch !== s.epoch) {
      this.#job.abort.abort();
      this.#job = undefined;
    }
    if (!this.#o.evaluateVDF || this.#stopped || this.#job !== undefined) return;
    const task = getVDFTask(s, this.params);
    if (task === null) return;
    const abort = new AbortController();
    this.#job = { epoch: task.epoch, abort };
    const t0 = Date.now();
    const evaluate = this.#m.evaluate ?? evaluateInWorker;
    evaluate(task.seed, task.T, { signal: abort.signal }).then(
      (out) => {
        if (abort.signal.aborted) return;
        this.#output = { epoch: task.epoch, out };
        this.#m.logger.info("VDF evaluated", { epoch: task.epoch, T: task.T, ms: Date.now() - t0 });
      },
      (e) => {
        if (!abort.signal.aborted) this.#m.logger.error("VDF evaluation failed", { epoch: task.epoch, error: e });
      },
    );
  }

  /** Cancel the VDF evaluation in progress. */
  stop(): void {
    this.#stopped = true;
    this.#job?.abort.abort();
    this.#job = undefined;
  }
}
