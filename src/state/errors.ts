/** Typed errors of the state layer (STYLE §9). A missing trie node surfaces as core's `TrieError`. */
import { NodeError } from "../util/errors.ts";

/** Codes of {@link StateError}. */
export const StateErrorCode = {
  /** An account refers to code that is not in the store (corrupt store or pruned state). */
  MISSING_CODE: "STATE_ERROR_MISSING_CODE",
  /** The requested state root is not available (never existed here, or pruned). */
  UNKNOWN_ROOT: "STATE_ERROR_UNKNOWN_ROOT",
  /** A trie node row named by its parent holds another node (corrupt store). */
  CORRUPT_NODE: "STATE_ERROR_CORRUPT_NODE",
} as const;

/** Metadata of a {@link StateError}. */
export type StateErrorType =
  | { code: typeof StateErrorCode.MISSING_CODE; codeHash: Uint8Array }
  | { code: typeof StateErrorCode.UNKNOWN_ROOT; root: Uint8Array }
  | { code: typeof StateErrorCode.CORRUPT_NODE; hash: Uint8Array; seq: number };

/** State that cannot be read. */
export class StateError extends NodeError<StateErrorType> {}
