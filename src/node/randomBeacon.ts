/**
 * The node's random beacon (DESIGN §Randomness, issue 5): the epoch's accumulator advanced by every
 * committed beacon block (rebuilt from the stored headers at start), each epoch's final randomness
 * written to the store (`nR ‖ epoch u64 BE` → JSON of `hmy_getEpochRandomness`), the check of a
 * proposal against the accumulator (VDF field and place; the VRF is checked with the proposer's key
 * by the driver), and the leader's duty: evaluate the VDF of pRnd in a Worker once per epoch and
 * offer its output to the blocks it builds inside the window.
 */
import type { Header } from "../core/index.ts";
import { type VDFEvaluateOptions, type VDFOutput, evaluateInWorker } from "../crypto/vdf/index.ts";
import {
  type EpochRandomnessJSON, type EpochRandomnessState, type RandomnessParams, canIncludeVDF, createEpochRandomnessStateFromHeaders, encodeVDFField, epochFirstBlock, epochOfBlock,
  epochRandomnessToJSON, getEpochRandomness, getVDFTask, isEpochRandomnessFinal, processBeaconHeader,
} from "../randomness/index.ts";
import type { KVStore } from "../store/index.ts";
import { concatBytes } from "../util/bytes.ts";
import type { Logger } from "../util/logger.ts";

const PREFIX = new TextEncoder().encode("nR");

function epochKey(epoch: bigint): Uint8Array {
  const k = new Uint8Array(8);
  new DataView(k.buffer).setBigUint64(0, epoch);
  return concatBytes(PREFIX, k);
}

/** The stored final randomness of `epoch`, or undefined. */
export function loadEpochRandomness(kv: Pick<KVStore, "get">, epoch: bigint): EpochRandomnessJSON | undefined {
  const v = kv.get(epochKey(epoch));
  return v === undefined ? undefined : (JSON.parse(new TextDecoder().decode(v)) as EpochRandomnessJSON);
}

/** The chain as the beacon reads it. */
export interface BeaconChain {
  readonly head: Header;
  getHeaderByNumber(n: bigint): Header | undefined;
}

/** Services of {@link RandomBeacon}. */
export interface RandomBeaconModules {
  readonly chain: BeaconChain;
  readonly kv: KVStore;
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
  #state: EpochRandomnessState;
  #job: { epoch: bigint; abort: AbortController } | undefined;
  #output: { epoch: bigint; out: VDFOutput } | undefined;
  #stopped = false;

  /**
   * Rebuild the accumulator from the stored headers of the head's epoch, and store the final
   * randomness of earlier epochs that is missing (e.g. a store written before the beacon existed).
   * @throws {RandomnessError} when a stored header breaks the beacon's rules (a corrupt store).
   */
  constructor(params: RandomnessParams, opts: RandomBeaconOptions, modules: RandomBeaconModules) {
    this.params = params;
    this.#o = opts;
    this.#m = modules;
    const headEpoch = epochOfBlock(params, modules.chain.head.number);
    for (let e = 0n; e < headEpoch; e++) {
      if (loadEpochRandomness(modules.kv, e) === undefined) this.#store(this.#replay(e, epochFirstBlock(params, e + 1n) - 1n));
    }
    this.#state = this.#replay(headEpoch, modules.chain.head.number);
    if (isEpochRandomnessFinal(this.#state, params) && loadEpochRandomness(modules.kv, headEpoch) === undefined) this.#store(this.#state);
    this.#startVDF();
  }

  #replay(epoch: bigint, through: bigint): EpochRandomnessState {
    const c = this.#m.chain;
    const first = epochFirstBlock(this.params, epoch);
    const headers: Header[] = [];
    for (let n = first; n <= through; n++) {
      const h = c.getHeaderByNumber(n);
      if (h === undefined) throw new Error(`random beacon: stored header ${n} missing`);
      headers.push(h);
    }
    const parent = first === 0n ? undefined : c.getHeaderByNumber(first - 1n);
    return createEpochRandomnessStateFromHeaders(this.params, epoch, { headers, ...(parent ? { parentHash: parent.hash } : {}) });
  }

  #store(state: EpochRandomnessState): void {
    const json = epochRandomnessToJSON(getEpochRandomness(state, this.params));
    this.#m.kv.put(epochKey(state.epoch), new TextEncoder().encode(JSON.stringify(json)));
    this.#m.logger.info("epoch randomness final", { epoch: json.epoch, source: json.source, randomness: json.randomness });
  }

  /** The accumulator now (after the last committed block). */
  get state(): EpochRandomnessState {
    return this.#state;
  }

  /**
   * Advance with a committed beacon block: store the epoch's randomness once final, start the VDF
   * once pRnd is fixed. A committed block that breaks the rules (it carries a quorum's signatures)
   * is logged and leaves the accumulator as it was.
   */
  onCommitted(header: Header): void {
    if (header.number !== this.#state.nextNumber) return;
    try {
      this.#state = processBeaconHeader(this.#state, header, this.params);
    } catch (e) {
      this.#m.logger.error("committed beacon block breaks the random beacon's rules", { number: header.number, error: e });
      return;
    }
    const s = this.#state;
    if (isEpochRandomnessFinal(s, this.params) && loadEpochRandomness(this.#m.kv, s.epoch) === undefined) this.#store(s);
    this.#startVDF();
  }

  /**
   * Check a proposal on the head against the accumulator (VDF field, place in the epoch, epoch
   * field, VRF presence). Returns the reason it is invalid, or null.
   */
  checkProposal(header: Header): string | null {
    if (header.number !== this.#state.nextNumber) return `random beacon expects block ${this.#state.nextNumber}, got ${header.number}`;
    try {
      processBeaconHeader(this.#state, header, this.params);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** The `vdf` field for our block `number`, when it may carry one and our output is ready. */
  vdfFor(number: bigint): Uint8Array | undefined {
    if (this.#o.withholdVDF || !canIncludeVDF(this.#state, this.params, number)) return undefined;
    const o = this.#output;
    return o !== undefined && o.epoch === this.#state.epoch ? encodeVDFField(o.out) : undefined;
  }

  /** The final randomness of `epoch` (RPC), or undefined when it is not final (or unknown). */
  get(epoch: bigint): EpochRandomnessJSON | undefined {
    return loadEpochRandomness(this.#m.kv, epoch);
  }

  #startVDF(): void {
    const s = this.#state;
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
