// The status page document and its route: served on GET / of the real RPC server with a CSP that admits
// exactly its inline stylesheet and script (by hash) and this origin only; the HTML names no other host
// and loads nothing (no src/href); POST / and the other routes keep working beside it.
import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { STATUS_PAGE_HTML, mountStatusPage, statusPageCSP } from "../../../src/node/statusPage/statusPage.ts";
import { type Harness, startHarness } from "../rpc/_harness.ts";

const sha = (s: string) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;
const between = (html: string, open: string, close: string): string[] => {
  const out: string[] = [];
  for (let i = html.indexOf(open); i >= 0; i = html.indexOf(open, i + 1)) out.push(html.slice(i + open.length, html.indexOf(close, i)));
  return out;
};

let h: Harness | undefined;
afterAll(async () => {
  await h?.server.stop();
});

describe("status page", () => {
  test("one self-contained document: one inline style, one inline script, no URL of any host, nothing loaded", () => {
    expect(STATUS_PAGE_HTML.startsWith("<!doctype html>")).toBe(true);
    expect(between(STATUS_PAGE_HTML, "<style>", "</style>")).toHaveLength(1);
    expect(between(STATUS_PAGE_HTML, "<script>", "</script>")).toHaveLength(1);
    expect(STATUS_PAGE_HTML).not.toMatch(/https?:\/\//i);
    expect(STATUS_PAGE_HTML).not.toMatch(/\b(src|href|srcset|action)\s*=/i);
    expect(STATUS_PAGE_HTML).not.toMatch(/@import|url\(/i);
    // The socket goes to this page's own host.
    expect(STATUS_PAGE_HTML).toContain('location.host + "/ws"');
    for (const id of ["head-number", "conn-state", "committee-rows", "peer-rows", "epoch", "sync-eta", "txpool-pending", "view-changes", "staking-total"]) {
      expect(STATUS_PAGE_HTML).toContain(`id="${id}"`);
    }
    // Readable source, not one giant line.
    expect(Math.max(...STATUS_PAGE_HTML.split("\n").map((l) => l.length))).toBeLessThan(220);
  });

  test("the CSP: self only, the inline blocks by their hashes, the request's own ws host; a forged Host is not echoed", () => {
    const csp = statusPageCSP("127.0.0.1:9500");
    const [style] = between(STATUS_PAGE_HTML, "<style>", "</style>");
    const [script] = between(STATUS_PAGE_HTML, "<script>", "</script>");
    const parts = Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    expect(parts["default-src"]).toEqual(["'self'"]);
    expect(parts["connect-src"]).toEqual(["'self'", "ws://127.0.0.1:9500", "wss://127.0.0.1:9500"]);
    expect(parts["script-src"]).toEqual([sha(script as string)]);
    expect(parts["style-src"]).toEqual([sha(style as string)]);
    expect(parts["object-src"]).toEqual(["'none'"]);
    expect(statusPageCSP("[::1]:9500")).toContain("connect-src 'self' ws://[::1]:9500 wss://[::1]:9500;");
    expect(statusPageCSP("evil.example; script-src *")).toContain("connect-src 'self';");
    expect(statusPageCSP(undefined)).toContain("connect-src 'self';");
  });

  test("served at GET / of the RPC server with its headers; POST /, /health and 404s unchanged", async () => {
    h = await startHarness({ extraRoutes: mountStatusPage });
    const res = await fetch(h.server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const host = new URL(h.server.url).host;
    expect(res.headers.get("content-security-policy")).toBe(statusPageCSP(host));
    expect(res.headers.get("content-security-policy")).toStartWith("default-src 'self'; connect-src 'self'");
    expect(await res.text()).toBe(STATUS_PAGE_HTML);
    expect((await h.rpc("eth_chainId")).result).toMatch(/^0x[0-9a-f]+$/);
    expect((await fetch(`${h.server.url}health`)).status).toBe(200);
    expect((await fetch(`${h.server.url}no-such-page`)).status).toBe(404);
  });
});
