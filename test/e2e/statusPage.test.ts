// Issue 12 item 2 / acceptance 2: the status page at GET / in headless Chromium (raw DevTools protocol).
// On a 4-validator devnet it loads, shows a numeric head that advances over the node's WebSocket, lists
// the committee (this node's key marked), peers and the epoch, makes no request to another host, has no
// horizontal overflow on a 390×844 phone and leaves desktop and phone screenshots in test-output/. On a
// dev node that is killed and restarted the page says "disconnected", then reconnects and moves on.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, launchChromium } from "./_chromium.ts";
import { type TestDevnet, normalizeKey, startDevnet, stopAllDevnets, waitFor, waitForHeight } from "./_devnet.ts";
import { type DevNode, ROOT, freePort, removeDir, startDevNode, tempDir } from "./_node.ts";

const OUT = join(ROOT, "test-output");
let devnet: TestDevnet | undefined;
let browser: Browser | undefined;
let dev: DevNode | undefined;
const devDir = tempDir("harmony-statuspage-");

afterAll(async () => {
  await browser?.close();
  await dev?.kill();
  if (devnet) await devnet.stop();
  stopAllDevnets();
  removeDir(devDir);
});

const text = (b: Browser, id: string) => b.evaluate<string | null>(`document.getElementById(${JSON.stringify(id)})?.textContent ?? null`);

async function headNumber(b: Browser): Promise<number | undefined> {
  const t = (await text(b, "head-number"))?.trim() ?? "";
  return /^\d+$/.test(t) ? Number(t) : undefined;
}

async function screenshot(b: Browser, name: string): Promise<string> {
  const { data } = await b.send("Page.captureScreenshot", { format: "png" });
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, name);
  writeFileSync(file, Buffer.from(data as string, "base64"));
  return file;
}

describe("status page in headless Chromium", () => {
  test("live on a devnet validator: head advances, committee, peers, epoch; same-origin only; fits a phone", async () => {
    devnet = await startDevnet({ validators: 4 });
    const node = devnet.node("node0");
    const origin = new URL(node.rpc).origin;
    await waitForHeight(devnet, "node0", 2, 30_000);
    browser = await launchChromium();
    const b = browser;
    await b.send("Network.enable");
    await b.send("Page.enable");
    await b.send("Log.enable");
    await b.send("Emulation.setDeviceMetricsOverride", { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });
    await b.send("Page.navigate", { url: `${origin}/` });

    const first = await waitFor("#head-number to show a number", 15_000, () => headNumber(b));
    const later = await waitFor(`#head-number to advance past ${first}`, 15_000, async () => {
      const n = await headNumber(b);
      return n !== undefined && n > first ? n : undefined;
    });
    expect(later).toBeGreaterThan(first);
    expect(await text(b, "conn-state")).toBe("live");

    // Committee rows arrive with the first snapshot; this node's key is marked.
    const rows = await waitFor("committee rows", 10_000, async () => {
      const r = await b.evaluate<{ keys: string[]; mine: string[] }>(
        `(() => { const rows = [...document.querySelectorAll("#committee-rows tr.committee-row")];
           const key = (tr) => tr.children[1].title;
           return { keys: rows.map(key), mine: rows.filter((tr) => tr.classList.contains("mine")).map(key) }; })()`,
      );
      return r.keys.length > 0 ? r : undefined;
    });
    expect(rows.keys).toHaveLength(4);
    expect(rows.mine.map(normalizeKey)).toEqual([normalizeKey(node.blsKeys[0] as string)]);
    const peers = await waitFor("peers listed", 10_000, async () => {
      const n = await b.evaluate<number>(`document.querySelectorAll("#peer-rows tr.peer-row").length`);
      return n > 0 ? n : undefined;
    });
    expect(peers).toBeGreaterThanOrEqual(1);
    expect(await text(b, "peer-count")).toBe(`(${peers})`);
    expect(await text(b, "epoch")).toMatch(/^\d+$/);
    expect(await text(b, "mode")).toMatch(/^(normal|viewChange|listening|syncing)$/);
    expect(await text(b, "sync-state")).toMatch(/^(in sync|syncing)$/);
    expect(await text(b, "txpool-pending")).toMatch(/^\d+$/);
    // A block of the window is listed with its signers out of the committee's 4 keys.
    expect(await b.evaluate<string>(`document.getElementById("recent-blocks").textContent`)).toMatch(/\d\/4/);
    const desktop = await screenshot(b, "statusPage-desktop.png");

    await b.send("Emulation.setDeviceMetricsOverride", { width: 390, height: 844, deviceScaleFactor: 2, mobile: true });
    await Bun.sleep(500);
    const fit = await b.evaluate<{ doc: number; body: number; inner: number }>(
      `({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, inner: window.innerWidth })`,
    );
    expect(fit.inner).toBe(390);
    expect(fit.doc).toBeLessThanOrEqual(fit.inner);
    expect(fit.body).toBeLessThanOrEqual(fit.inner);
    const phone = await screenshot(b, "statusPage-phone.png");
    expect(Bun.file(desktop).size).toBeGreaterThan(1000);
    expect(Bun.file(phone).size).toBeGreaterThan(1000);

    // Every request the page made (document, WebSocket) went to the node's own origin.
    const host = new URL(origin).host;
    const urls = [
      ...b.events.filter((e) => e.method === "Network.requestWillBeSent").map((e) => String(e.params.request.url)),
      ...b.events.filter((e) => e.method === "Network.webSocketCreated").map((e) => String(e.params.url)),
    ];
    expect(urls).toContain(`${origin}/`);
    expect(urls).toContain(`ws://${host}/ws`);
    for (const u of urls) expect(new URL(u).host).toBe(host);
    // The inline stylesheet and script ran under the page's CSP (their hashes match): no violation logged.
    const violations = b.events.filter((e) => e.method === "Log.entryAdded" && /Content Security Policy/i.test(String(e.params.entry?.text)));
    expect(violations.map((e) => e.params.entry.text)).toEqual([]);
  }, 60_000);

  test("shows disconnected while the node is down, reconnects and follows the head again", async () => {
    const b = browser ?? (browser = await launchChromium());
    const port = await freePort();
    dev = await startDevNode({ dataDir: devDir, port });
    await b.send("Page.navigate", { url: `${dev.url}` });
    const before = await waitFor("#head-number on the dev node", 15_000, () => headNumber(b));
    await dev.kill();
    await waitFor("the page to say disconnected", 10_000, async () => (await text(b, "conn-state")) === "disconnected");
    dev = await startDevNode({ dataDir: devDir, port });
    await waitFor("the page to reconnect", 15_000, async () => (await text(b, "conn-state")) === "live");
    const after = await waitFor(`#head-number past ${before} after the restart`, 15_000, async () => {
      const n = await headNumber(b);
      return n !== undefined && n > before ? n : undefined;
    });
    expect(after).toBeGreaterThan(before);
  }, 60_000);
});
