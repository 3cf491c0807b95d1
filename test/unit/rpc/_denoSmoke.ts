/**
 * Runs under Deno (spawned by deno.test.ts): the RPC server on the Deno adapter answers HTTP
 * JSON-RPC, rejects an oversize body, serves /health, and delivers a newHeads subscription.
 * Prints one JSON line with what it saw.
 */
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import { createRPCServer } from "../../../src/rpc/index.ts";
import { createMemoryLogger } from "./_harness.ts";
import { TestChain } from "./_testBackend.ts";

const chain = new TestChain();
const adapter = await getRuntimeAdapter();
const server = await createRPCServer({ host: "127.0.0.1", port: 0, maxBodyBytes: 4096 }, { backend: chain, adapter, logger: createMemoryLogger() });
const post = (body: string) => fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body });
const chainId = (await (await post('{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}')).json()).result;
const oversize = (await post(" ".repeat(5000))).status;
const health = (await fetch(new URL("/health", server.url))).status;
const ws = new WebSocket(server.wsUrl);
const messages: any[] = [];
const got = new Promise<void>((resolve) => {
  ws.onmessage = (e) => {
    messages.push(JSON.parse(String(e.data)));
    if (messages.length === 1) chain.mine();
    if (messages.length === 2) resolve();
  };
});
await new Promise((r) => (ws.onopen = r));
ws.send('{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}');
await got;
ws.close();
await server.stop();
console.log(JSON.stringify({ runtime: adapter.name, chainId, oversize, health, head: messages[1]?.params?.result?.number }));
