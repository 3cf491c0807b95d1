/**
 * Peer exchange (PEX): the reserved request method `p2p/peers` answers with up to 16 URLs of peers we
 * handshook with recently, as an RLP list of strings. What comes back is checked entry by entry.
 */
import { RLP } from "@ethereumjs/rlp";
import { malformed } from "./errors.ts";
import { isDialableUrl, tryNormalizeUrl } from "./_handshake.ts";

/** The reserved method name. */
export const PEERS_METHOD = "p2p/peers";
/** URLs in one answer. */
export const PEX_MAX_URLS = 16;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Encode a PEX answer. */
export function encodePeerList(urls: string[]): Uint8Array {
  return RLP.encode(urls.slice(0, PEX_MAX_URLS).map((u) => enc.encode(u)));
}

/**
 * Decode a PEX answer into normalized URLs (entries that are not dialable ws/wss URLs are skipped).
 * @throws {P2PError} MALFORMED_FRAME (REJECT) when it is not a list of at most 16 strings.
 */
export function decodePeerList(bytes: Uint8Array): string[] {
  let v: unknown;
  try {
    v = RLP.decode(bytes);
  } catch {
    throw malformed("peer list: bad RLP");
  }
  if (!Array.isArray(v) || v.length > PEX_MAX_URLS) throw malformed("peer list: expected a list of at most 16 URLs");
  const out: string[] = [];
  for (const x of v) {
    if (!(x instanceof Uint8Array)) throw malformed("peer list: nested list");
    const url = tryNormalizeUrl(dec.decode(x));
    if (url !== undefined && isDialableUrl(url)) out.push(url);
  }
  return out;
}
