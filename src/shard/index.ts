/**
 * Shards (DESIGN §Sharding): committees per shard and epoch from the beacon chain's shard state, and
 * crosslinks — the record of a final shard block with its commit proof, its codec and its checks.
 * @module
 */
export { getCommitteeSpec } from "./committeeSpec.ts";
export type { CommitteeSpec } from "./committeeSpec.ts";
export { MAX_CROSSLINKS_PER_BLOCK, MAX_CROSSLINK_BITMAP_BYTES, createCrossLink, decodeCrossLink, decodeCrossLinks, encodeCrossLink, encodeCrossLinks } from "./crossLink.ts";
export type { CrossLink, CrossLinkProof } from "./crossLink.ts";
export { GENESIS_CROSSLINK_TIP, checkCrossLinkSequence, getCrossLinkCheck, verifyCrossLink } from "./crossLinkVerify.ts";
export type { CrossLinkCheck, CrossLinkTip } from "./crossLinkVerify.ts";
export { CrossLinkError, CrossLinkErrorCode } from "./errors.ts";
export type { CrossLinkErrorCodeValue, CrossLinkErrorType, CrossLinkFailure, CrossLinkPeerAction, CrossLinkVerdict } from "./errors.ts";
