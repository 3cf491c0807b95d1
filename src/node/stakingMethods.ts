/**
 * Staking JSON-RPC methods of a beacon node (issue 9 interfaces), with Harmony's names and shapes:
 *   hmy_getAllValidatorAddresses, hmy_getValidatorInformation(addr), hmy_getAllValidatorInformation(page?),
 *   hmy_getDelegationsByDelegator(addr), hmy_getDelegationsByValidator(addr), hmy_getElectedValidatorAddresses,
 *   hmy_getValidatorKeys(epoch), hmy_getEpoch, hmy_getMedianRawStakeSnapshot, hmy_getTotalSupply,
 *   hmy_getCirculatingSupply, hmy_getStakingNetworkInfo, hmy_getValidators(epoch), hmy_getSuperCommittees.
 * Everything is read from the head state and the shard state in force (committees only through the
 * chain's shard state, never a copy); addresses are `0x` (a `one1…` address is accepted as input).
 */
import type { Chain } from "../chain/index.ts";
import { type Header, type ShardState, shardSlots } from "../core/index.ts";
import { parseAnyAddress } from "../crypto/index.ts";
import { type MethodHandler, RpcErrorCode, rpcError } from "../rpc/index.ts";
import { type StateStore, type WorldState, createWorldState } from "../state/index.ts";
import { DEC_ONE, StakingState, ValidatorStatus, computeElection, type ValidatorRecord } from "../staking/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import { superCommitteeRegistryJSON } from "./_committeeJSON.ts";
import { address, dec, delegationJSON, num, validatorInformationJSON } from "./_stakingJSON.ts";
import { isBeacon } from "../core/index.ts";

/** What the methods read. */
export interface StakingInfoSource {
  /** The chain read: staking lives on the beacon's. */
  readonly shardId: number;
  /** The shard whose committee `hmy_getValidatorKeys`/`hmy_getValidators` answer: the node's own (Harmony's choice). */
  readonly committeeShard: number;
  readonly epochBlocks: number;
  readonly slots: number;
  readonly bandBps: () => number;
  readonly state: StateStore;
  head(): Header;
  /** Canonical header at a height, up to the head. */
  headerByNumber(n: bigint): Header | undefined;
  /** The latest epoch whose committee is settled: the epoch of the block after the head. */
  committeeEpoch(): bigint;
  shardStateAt(epoch: bigint): ShardState;
  /** State root of the block that elected the committee of `epoch` (genesis for epoch 0 or none elected). */
  electionStateRoot(epoch: bigint): Uint8Array;
  /** Genesis supply + issued − burnt up to the head, in wei. */
  totalSupply(): bigint;
}

const PAGE = 100;

function addressParam(v: unknown, i = 0): Uint8Array {
  try {
    return parseAnyAddress(String(v));
  } catch {
    throw rpcError(RpcErrorCode.INVALID_PARAMS, `invalid argument ${i}: not an address (0x… or one1…): ${JSON.stringify(v)}`);
  }
}

function epochParam(v: unknown): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^(0x[0-9a-fA-F]{1,16}|[0-9]{1,19})$/.test(v)) return BigInt(v);
  throw rpcError(RpcErrorCode.INVALID_PARAMS, `invalid argument 0: epoch must be a non-negative integer or 0x quantity, got ${JSON.stringify(v)}`);
}

/** Whole tokens with 18 decimals, as Harmony's supply methods answer. */
const tokens = (wei: bigint) => dec(wei);

/** The methods, for `createRPCServer({ extraMethods })`. */
export function createStakingMethods(src: StakingInfoSource): Record<string, MethodHandler> {
  const beaconOnly = () => {
    if (!isBeacon(src.shardId)) throw rpcError(RpcErrorCode.SERVER_ERROR, `staking is served by beacon-shard (shard 0) nodes; this node is on shard ${src.shardId}`);
  };
  const settledEpoch = (v: unknown): bigint => {
    const e = epochParam(v);
    const latest = src.committeeEpoch();
    if (e > latest) throw rpcError(RpcErrorCode.INVALID_PARAMS, `invalid argument 0: epoch ${e} has no committee yet (the latest is epoch ${latest})`);
    return e;
  };
  const world = (): WorldState => createWorldState(src.state, src.head().stateRoot);
  const staking = () => {
    beaconOnly();
    return new StakingState(world());
  };
  const eligible = (s: StakingState, v: ValidatorRecord) => v.status === ValidatorStatus.ACTIVE && (s.getDelegation(v.address, v.address)?.amount ?? 0n) >= v.minSelfDelegation;
  const info = (s: StakingState, addr: Uint8Array) => {
    const v = s.getValidator(addr);
    if (v === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, `validator not found: ${address(addr)}`);
    return validatorInformationJSON(v, s.delegationsOf(addr), { current: src.shardStateAt(src.head().epoch), eligible: eligible(s, v) });
  };
  const election = (s: StakingState) => {
    const candidates = s.validatorAddresses().flatMap((a) => {
      const v = s.getValidator(a);
      return v !== undefined && eligible(s, v) ? [{ address: a, blsKeys: v.blsKeys, totalDelegation: v.totalDelegation }] : [];
    });
    return { candidates, result: computeElection(candidates, { slots: src.slots, bandBps: src.bandBps() }) };
  };
  return {
    hmy_getEpoch: () => `0x${src.head().epoch.toString(16)}`,
    hmy_getAllValidatorAddresses: () => staking().validatorAddresses().map(address),
    hmy_getValidatorInformation: (params) => info(staking(), addressParam(params[0])),
    hmy_getAllValidatorInformation: (params) => {
      const s = staking();
      const all = s.validatorAddresses();
      const page = params[0] === undefined ? -1 : Number(params[0]);
      if (!Number.isInteger(page) || page < -1) throw rpcError(RpcErrorCode.INVALID_PARAMS, "invalid argument 0: page must be an integer ≥ -1 (-1: all)");
      return (page === -1 ? all : all.slice(page * PAGE, (page + 1) * PAGE)).map((a) => info(s, a));
    },
    hmy_getDelegationsByDelegator: (params) => {
      const s = staking();
      const who = addressParam(params[0]);
      return s.validatorsOf(who).flatMap((v) => {
        const d = s.getDelegation(v, who);
        return d === undefined ? [] : [delegationJSON(v, d)];
      });
    },
    hmy_getDelegationsByValidator: (params) => {
      const s = staking();
      const v = addressParam(params[0]);
      if (s.getValidator(v) === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, `validator not found: ${address(v)}`);
      return s.delegationsOf(v).map((d) => delegationJSON(v, d));
    },
    hmy_getElectedValidatorAddresses: () => {
      beaconOnly();
      const seen = new Set<string>();
      const out: string[] = [];
      for (const sh of src.shardStateAt(src.head().epoch).shards) {
        for (const slot of sh.slots) {
          const a = address(slot.validator);
          if (slot.validator.some((b) => b !== 0) && !seen.has(a)) seen.add(a) && out.push(a);
        }
      }
      return out;
    },
    hmy_getValidatorKeys: (params) => {
      const epoch = params[0] === undefined ? src.head().epoch : settledEpoch(params[0]);
      return (shardSlots(src.shardStateAt(epoch), src.committeeShard) ?? []).map((s) => bytesToHex(s.blsKey));
    },
    hmy_getValidators: (params) => {
      const epoch = settledEpoch(params[0]);
      const slots = shardSlots(src.shardStateAt(epoch), src.committeeShard) ?? [];
      // Balances as of the epoch's last block (Harmony's choice), or the head while the epoch runs.
      const head = src.head();
      const last = (epoch + 1n) * BigInt(src.epochBlocks) - 1n;
      const at = last < head.number ? src.headerByNumber(last) ?? head : head;
      if (!src.state.hasNode(at.stateRoot)) throw rpcError(RpcErrorCode.SERVER_ERROR, `state of block ${at.number} is not available`);
      const w = createWorldState(src.state, at.stateRoot);
      return {
        shardID: src.committeeShard,
        validators: slots.map((s) => ({ address: address(s.validator), balance: num(w.getAccount(s.validator)?.balance ?? 0n) })),
      };
    },
    hmy_getSuperCommittees: () => {
      const now = src.committeeEpoch();
      const registry = (epoch: bigint) => {
        const state = src.shardStateAt(epoch);
        const root = src.electionStateRoot(state.epoch);
        const records = src.state.hasNode(root) ? new StakingState(createWorldState(src.state, root)) : undefined;
        const perKey = new Map<string, bigint | undefined>();
        const rawStakePerKey = (v: Uint8Array) => {
          const k = bytesToHex(v);
          if (!perKey.has(k)) {
            const r = records?.getValidator(v);
            perKey.set(k, r === undefined || r.blsKeys.length === 0 ? undefined : r.totalDelegation / BigInt(r.blsKeys.length));
          }
          return perKey.get(k);
        };
        return superCommitteeRegistryJSON({ state, epoch, externalSlots: src.slots, rawStakePerKey });
      };
      // At epoch 0 there is no earlier committee: "previous" is the genesis one, as "current".
      return { previous: registry(now > 0n ? now - 1n : 0n), current: registry(now) };
    },
    hmy_getMedianRawStakeSnapshot: () => {
      const { candidates, result } = election(staking());
      const auction = candidates.reduce((n, c) => n + c.totalDelegation, 0n);
      return {
        "epos-median-stake": dec(result.medianRawStake * DEC_ONE),
        "max-external-slots": src.slots,
        "epos-slot-winners": result.slots.map((w) => ({
          slot: { "bls-public-key": bytesToHex(w.blsKey), "raw-stake": dec(w.rawStake * DEC_ONE), "eposed-stake": dec(w.effectiveStake * DEC_ONE) },
          "earning-account": address(w.validator),
        })),
        "epos-slot-candidates": candidates.map((c) => ({
          stake: num(c.totalDelegation),
          "keys-at-auction": c.blsKeys.map(bytesToHex),
          "percentage-of-total-auction-stake": dec(auction === 0n ? 0n : (c.totalDelegation * DEC_ONE) / auction),
          "stake-per-key": num(c.totalDelegation / BigInt(c.blsKeys.length)),
          validator: address(c.address),
        })),
      };
    },
    hmy_getTotalSupply: () => tokens(src.totalSupply()),
    hmy_getCirculatingSupply: () => tokens(src.totalSupply()),
    hmy_getStakingNetworkInfo: () => {
      const s = staking();
      const total = s.validatorAddresses().reduce((n, a) => n + (s.getValidator(a)?.totalDelegation ?? 0n), 0n);
      const head = src.head();
      const epochLast = (head.epoch + 1n) * BigInt(src.epochBlocks) - 1n;
      return {
        "total-supply": tokens(src.totalSupply()),
        "circulating-supply": tokens(src.totalSupply()),
        "epoch-last-block": num(epochLast),
        "total-staking": num(total),
        "median-raw-stake": dec(election(s).result.medianRawStake * DEC_ONE),
      };
    },
  };
}

/**
 * The source of a node's beacon chain (dev node and validator/RPC nodes alike); committees are
 * answered for `committeeShard`, the node's own shard (default: the chain's).
 */
export function stakingSourceOf(chain: Chain, committeeShard = chain.shardId): StakingInfoSource {
  const c = chain.config;
  return {
    shardId: chain.shardId,
    committeeShard,
    epochBlocks: c.epochBlocks,
    slots: c.staking.slotsPerShard * c.shardCount,
    bandBps: () => (c.isActive("eposV2", chain.head.epoch) ? c.staking.effectiveStakeBandV2Bps : c.staking.effectiveStakeBandBps),
    state: chain.state,
    head: () => chain.head,
    headerByNumber: (n) => chain.getHeaderByNumber(n),
    committeeEpoch: () => c.nextEpoch(chain.head),
    shardStateAt: (e) => chain.shardStateAt(e),
    electionStateRoot: (e) => {
      const n = e === 0n ? undefined : chain.db.getEpochShardStateBlock(e);
      return (n === undefined ? undefined : chain.getHeaderByNumber(n))?.stateRoot ?? chain.genesis.stateRoot;
    },
    totalSupply: () => {
      const r = chain.getBurntFees(chain.head.hash);
      return chain.genesisSupply + (r?.cumulativeIssued ?? 0n) - (r?.cumulativeBurnt ?? 0n) - (r?.cumulativeBurntSlashes ?? 0n);
    },
  };
}
