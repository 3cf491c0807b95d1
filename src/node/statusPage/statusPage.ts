/**
 * The node's status page at `GET /`: one self-contained HTML document (inline stylesheet and script,
 * nothing fetched from anywhere but the node itself) that follows the node live over its WebSocket
 * (`/ws`: `newHeads` and `hmy_getNodeStatus`). The source lives in TS strings, so `bun build --compile`
 * embeds it in the binary. The Content-Security-Policy admits exactly that inline stylesheet and script
 * (by hash) and connections to this origin only.
 * @module
 */
import type { Hono } from "hono";
import { sha256 } from "../../crypto/index.ts";
import type { RPCAppEnv } from "../../rpc/index.ts";
import { PAGE_BODY } from "./_pageBody.ts";
import { PAGE_SCRIPT } from "./_pageScript.ts";
import { PAGE_STYLE } from "./_pageStyle.ts";

/** The document `GET /` serves. */
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>harmony-ts node status</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${PAGE_BODY}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;

const cspHash = (source: string): string => `'sha256-${btoa(String.fromCharCode(...sha256(new TextEncoder().encode(source))))}'`;

/**
 * The page's Content-Security-Policy: everything from this origin only, the inline stylesheet and
 * script admitted by hash, no plugins, frames or form posts. `connect-src 'self'` covers the same
 * origin's WebSocket in current browsers; the `ws://`/`wss://` form of the request's own host is added
 * for those that read 'self' as http(s) only.
 */
export function statusPageCSP(host: string | undefined): string {
  // The Host header is the client's; only a plain host[:port] is echoed back.
  const own = host !== undefined && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'self'",
    `connect-src 'self'${own}`,
    `script-src ${cspHash(PAGE_SCRIPT)}`,
    `style-src ${cspHash(PAGE_STYLE)}`,
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The page as a response to `req` (HTML with its CSP; not cached, it is a live view). */
export function statusPageResponse(req: Request): Response {
  return new Response(STATUS_PAGE_HTML, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": statusPageCSP(req.headers.get("host") ?? undefined),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
  });
}

/** Mount `GET /` (a plain GET: the server answers WebSocket upgrades on `/` before this route). */
export function mountStatusPage(app: Hono<RPCAppEnv>): void {
  app.get("/", (c) => statusPageResponse(c.req.raw));
}
