/**
 * Block header (Harmony v3 layout): Ethereum's execution fields plus shard, epoch, view, the previous
 * block's commit signature and bitmap (§Consensus), VRF/VDF (§Randomness), cross-shard receipt roots,
 * and the shard state / crosslinks / slashes payloads that later protocol layers fill. Immutable; the
 * hash is keccak256 of the RLP list of the fields in the order below.
 */
import { EMPTY_TRIE_ROOT, asBytes, asList, bigintToBytes, decodeInt, keccak256, rlpDecode, rlpEncode } from "./_codec.ts";
import { BLOOM_BYTES } from "./bloom.ts";
import { BlockError, BlockErrorCode } from "./errors.ts";

/** Length of a BLS aggregate signature (G2, compressed). */
export const COMMIT_SIG_BYTES = 96;
/** Most bytes of extraData. */
export const MAX_EXTRA_DATA_BYTES = 32;
/** VRF field: output(32) ‖ proof(96), or empty. */
export const VRF_BYTES = 128;
/** Most bytes of the commit bitmap (8192 slots). */
export const MAX_BITMAP_BYTES = 1024;

/** The fields of a header. */
export interface HeaderData {
  parentHash: Uint8Array;
  /** Block proposer (the leader's account), 20 bytes; paid nothing, fees are burnt. */
  coinbase: Uint8Array;
  stateRoot: Uint8Array;
  txRoot: Uint8Array;
  receiptsRoot: Uint8Array;
  /** Root of the outgoing cross-shard receipts of this block (§Cross-shard). */
  outgoingCxReceiptsRoot: Uint8Array;
  /** Root of the incoming cross-shard receipts credited by this block. */
  incomingCxReceiptsRoot: Uint8Array;
  logsBloom: Uint8Array;
  number: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  /**
   * Price per gas every transaction of the block burns before its tip (EIP-1559 base fee). Set by the
   * producer from the chain config's rule ({@link ChainConfig.baseFee}); validators reject any other
   * value, and execution, txpool, receipts and RPC all read it from here.
   */
  baseFeePerGas: bigint;
  /** Seconds since the Unix epoch. */
  timestamp: bigint;
  extraData: Uint8Array;
  /** PREVRANDAO of the EVM. */
  mixHash: Uint8Array;
  viewId: bigint;
  epoch: bigint;
  shardId: number;
  /** Aggregate BLS commit signature of the parent block (96 bytes; zero for genesis and `--dev`). */
  lastCommitSig: Uint8Array;
  /** Committee bitmap of the parent's commit signature. */
  lastCommitBitmap: Uint8Array;
  /** Leader VRF output ‖ proof, or empty. */
  vrf: Uint8Array;
  /** VDF randomness ‖ proof, or empty. */
  vdf: Uint8Array;
  /** Encoded committees for the next epoch (set at an epoch's last beacon block, and in genesis). */
  shardState: Uint8Array;
  /** Encoded crosslinks included by a beacon block. */
  crossLinks: Uint8Array;
  /** Encoded double-sign evidence included by a beacon block. */
  slashes: Uint8Array;
}

const FIELDS: readonly (keyof HeaderData)[] = [
  "parentHash", "coinbase", "stateRoot", "txRoot", "receiptsRoot", "outgoingCxReceiptsRoot", "incomingCxReceiptsRoot",
  "logsBloom", "number", "gasLimit", "gasUsed", "baseFeePerGas", "timestamp", "extraData", "mixHash", "viewId", "epoch", "shardId",
  "lastCommitSig", "lastCommitBitmap", "vrf", "vdf", "shardState", "crossLinks", "slashes",
];
const FIXED: Partial<Record<keyof HeaderData, number>> = {
  parentHash: 32, coinbase: 20, stateRoot: 32, txRoot: 32, receiptsRoot: 32, outgoingCxReceiptsRoot: 32,
  incomingCxReceiptsRoot: 32, logsBloom: BLOOM_BYTES, mixHash: 32, lastCommitSig: COMMIT_SIG_BYTES,
};
const INTS = new Set<keyof HeaderData>(["number", "gasLimit", "gasUsed", "baseFeePerGas", "timestamp", "viewId", "epoch"]);

/** An immutable header with its RLP encoding and hash computed once. */
export class Header implements Readonly<HeaderData> {
  readonly parentHash!: Uint8Array;
  readonly coinbase!: Uint8Array;
  readonly stateRoot!: Uint8Array;
  readonly txRoot!: Uint8Array;
  readonly receiptsRoot!: Uint8Array;
  readonly outgoingCxReceiptsRoot!: Uint8Array;
  readonly incomingCxReceiptsRoot!: Uint8Array;
  readonly logsBloom!: Uint8Array;
  readonly number!: bigint;
  readonly gasLimit!: bigint;
  readonly gasUsed!: bigint;
  readonly baseFeePerGas!: bigint;
  readonly timestamp!: bigint;
  readonly extraData!: Uint8Array;
  readonly mixHash!: Uint8Array;
  readonly viewId!: bigint;
  readonly epoch!: bigint;
  readonly shardId!: number;
  readonly lastCommitSig!: Uint8Array;
  readonly lastCommitBitmap!: Uint8Array;
  readonly vrf!: Uint8Array;
  readonly vdf!: Uint8Array;
  readonly shardState!: Uint8Array;
  readonly crossLinks!: Uint8Array;
  readonly slashes!: Uint8Array;
  /** Canonical RLP encoding. */
  readonly encoded: Uint8Array;
  /** keccak256(encoded). */
  readonly hash: Uint8Array;

  /**
   * Build from fields (copied). Lengths of fixed-size fields are checked here; the rest of the
   * stateless rules in {@link Header.validateBasic}.
   * @throws {RangeError} on a fixed-size field of the wrong length or a negative/oversized integer.
   */
  constructor(data: HeaderData) {
    const self = this as unknown as Record<string, unknown>;
    for (const f of FIELDS) {
      const v = data[f];
      const len = FIXED[f];
      if (len !== undefined && (v as Uint8Array).length !== len) throw new RangeError(`header.${f}: expected ${len} bytes, got ${(v as Uint8Array).length}`);
      if (INTS.has(f) && ((v as bigint) < 0n || (v as bigint) >= 1n << 64n)) throw new RangeError(`header.${f}: out of uint64 range`);
      self[f] = v instanceof Uint8Array ? v.slice() : v;
    }
    if (!Number.isInteger(data.shardId) || data.shardId < 0 || data.shardId > 0xffffffff) throw new RangeError("header.shardId: out of uint32 range");
    this.encoded = rlpEncode(FIELDS.map((f) => toItem(this[f])));
    this.hash = keccak256(this.encoded);
    Object.freeze(this);
  }

  /** The fields as plain data (e.g. to derive a modified header). */
  toData(): HeaderData {
    const out = {} as Record<string, unknown>;
    for (const f of FIELDS) out[f] = this[f];
    return out as unknown as HeaderData;
  }

  /**
   * Stateless checks (STYLE §12): gas used within the limit, extraData size, VRF and bitmap sizes.
   * @throws {BlockError} INVALID_HEADER naming the field.
   */
  validateBasic(): void {
    const bad = (field: string, reason: string) => new BlockError({ code: BlockErrorCode.INVALID_HEADER, field, reason }, `invalid header ${field}: ${reason}`);
    if (this.gasUsed > this.gasLimit) throw bad("gasUsed", `${this.gasUsed} exceeds gas limit ${this.gasLimit}`);
    if (this.extraData.length > MAX_EXTRA_DATA_BYTES) throw bad("extraData", `${this.extraData.length} bytes, at most ${MAX_EXTRA_DATA_BYTES}`);
    if (this.vrf.length !== 0 && this.vrf.length !== VRF_BYTES) throw bad("vrf", `${this.vrf.length} bytes, expected 0 or ${VRF_BYTES}`);
    if (this.lastCommitBitmap.length > MAX_BITMAP_BYTES) throw bad("lastCommitBitmap", `${this.lastCommitBitmap.length} bytes`);
    if (this.number === 0n && this.parentHash.some((b) => b !== 0)) throw bad("parentHash", "genesis must have a zero parent hash");
  }
}

function toItem(v: unknown): Uint8Array {
  if (typeof v === "bigint") return bigintToBytes(v);
  if (typeof v === "number") return bigintToBytes(BigInt(v));
  return v as Uint8Array;
}

/** Defaults of {@link createHeader}: empty roots, zero hashes and signature, empty payloads. */
export function defaultHeaderData(): HeaderData {
  return {
    parentHash: new Uint8Array(32), coinbase: new Uint8Array(20), stateRoot: EMPTY_TRIE_ROOT, txRoot: EMPTY_TRIE_ROOT,
    receiptsRoot: EMPTY_TRIE_ROOT, outgoingCxReceiptsRoot: EMPTY_TRIE_ROOT, incomingCxReceiptsRoot: EMPTY_TRIE_ROOT,
    logsBloom: new Uint8Array(BLOOM_BYTES), number: 0n, gasLimit: 0n, gasUsed: 0n, baseFeePerGas: 0n, timestamp: 0n, extraData: new Uint8Array(0),
    mixHash: new Uint8Array(32), viewId: 0n, epoch: 0n, shardId: 0, lastCommitSig: new Uint8Array(COMMIT_SIG_BYTES),
    lastCommitBitmap: new Uint8Array(0), vrf: new Uint8Array(0), vdf: new Uint8Array(0), shardState: new Uint8Array(0),
    crossLinks: new Uint8Array(0), slashes: new Uint8Array(0),
  };
}

/**
 * A header from some fields, the rest defaulted ({@link defaultHeaderData}).
 * @throws {RangeError} as the {@link Header} constructor.
 */
export function createHeader(fields: Partial<HeaderData>): Header {
  return new Header({ ...defaultHeaderData(), ...fields });
}

/** The RLP item list of a header (to embed in a block encoding). */
export function headerToRLP(h: Header): Uint8Array[] {
  return FIELDS.map((f) => toItem(h[f]));
}

/**
 * A header from its decoded RLP list.
 * @throws {BlockError} MALFORMED.
 */
export function headerFromRLP(item: unknown): Header {
  try {
    const list = asList(item, "header", FIELDS.length);
    const data = {} as Record<string, unknown>;
    FIELDS.forEach((f, i) => {
      const v = list[i];
      if (f === "shardId") data[f] = Number(decodeInt(v, "header.shardId", 4));
      else if (INTS.has(f)) data[f] = decodeInt(v, `header.${f}`, 8);
      else data[f] = asBytes(v, `header.${f}`, FIXED[f]);
    });
    return new Header(data as unknown as HeaderData);
  } catch (e) {
    if (e instanceof BlockError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new BlockError({ code: BlockErrorCode.MALFORMED, reason }, `malformed header: ${reason}`, { cause: e });
  }
}

/**
 * Decode a header from its encoding.
 * @throws {BlockError} MALFORMED.
 */
export function decodeHeader(bytes: Uint8Array): Header {
  let item: unknown;
  try {
    item = rlpDecode(bytes, "header");
  } catch (e) {
    throw new BlockError({ code: BlockErrorCode.MALFORMED, reason: (e as Error).message }, `malformed header: ${(e as Error).message}`);
  }
  return headerFromRLP(item);
}
