// Issue 3 acceptance 1 (viem): a dapp developer's flow against a real `harmony node --dev` process.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type Hex,
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  defineChain,
  getContract,
  http,
  parseEther,
  webSocket,
  BaseError,
  ContractFunctionRevertedError,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { compileContract } from "./_solc.ts";
import { type DevNode, removeDir, startDevNode, tempDir } from "./_node.ts";

// Anvil/Hardhat account #0 and #1 of the `test … junk` mnemonic (DESIGN §4).
const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as Hex;
const ADDR1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;

let node: DevNode;
let dir: string;

beforeAll(async () => {
  dir = tempDir("harmony-viem-");
  node = await startDevNode({ dataDir: dir });
});
afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

describe("viem against harmony node --dev", () => {
  test("value transfer, ERC-20 deploy/transfer, logs, WS subscriptions, estimateGas, revert reason", async () => {
    const chain = defineChain({
      id: 31337,
      name: "harmony-dev",
      nativeCurrency: { name: "ONE", symbol: "ONE", decimals: 18 },
      rpcUrls: { default: { http: [node.url], webSocket: [node.wsUrl] } },
    });
    const account = privateKeyToAccount(KEY0);
    const pub = createPublicClient({ chain, transport: http(node.url) });
    const wallet = createWalletClient({ chain, account, transport: http(node.url) });
    const ws = createPublicClient({ chain, transport: webSocket(node.wsUrl) });

    expect(await pub.getChainId()).toBe(31337);
    const heads: bigint[] = [];
    const unwatchHeads = ws.watchBlocks({ onBlock: (b) => heads.push(b.number) });

    // Plain transfer: estimate is exactly 21000, the receipt comes in a final block.
    const before = await pub.getBalance({ address: ADDR1 });
    expect(await pub.estimateGas({ account, to: ADDR1, value: parseEther("1") })).toBe(21000n);
    const h1 = await wallet.sendTransaction({ to: ADDR1, value: parseEther("1") });
    const r1 = await pub.waitForTransactionReceipt({ hash: h1, pollingInterval: 200 });
    expect(r1.status).toBe("success");
    expect(r1.gasUsed).toBe(21000n);
    expect(await pub.getBalance({ address: ADDR1 })).toBe(before + parseEther("1"));

    // ERC-20 compiled from source in the test.
    const { abi, bytecode } = compileContract("Token");
    const deployHash = await wallet.deployContract({ abi, bytecode, args: [10n ** 24n] });
    const dr = await pub.waitForTransactionReceipt({ hash: deployHash, pollingInterval: 200 });
    expect(dr.status).toBe("success");
    const address = dr.contractAddress as Hex;
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const token = getContract({ address, abi, client: { public: pub, wallet } });

    const logs: unknown[] = [];
    const unwatchLogs = ws.watchContractEvent({ address, abi, eventName: "Transfer", onLogs: (l) => logs.push(...l) });
    await Bun.sleep(300);

    const gas = await pub.estimateContractGas({ address, abi, functionName: "transfer", args: [ADDR1, 5n], account });
    expect(gas).toBeGreaterThan(21000n);
    const th = await wallet.writeContract({ address, abi, functionName: "transfer", args: [ADDR1, 5n] });
    const tr = await pub.waitForTransactionReceipt({ hash: th, pollingInterval: 200 });
    expect(tr.status).toBe("success");
    expect(await (token.read as Record<string, (a: unknown[]) => Promise<unknown>>).balanceOf!([ADDR1])).toBe(5n);

    const found = await pub.getLogs({ address, fromBlock: 0n, toBlock: "latest" });
    const transfers = found.map((l) => decodeEventLog({ abi, data: l.data, topics: l.topics }));
    expect(transfers.length).toBe(2); // mint + transfer
    expect((transfers[1] as unknown as { args: { value: bigint } }).args.value).toBe(5n);

    // Revert reason decoded by the client.
    let reason = "";
    try {
      await pub.simulateContract({ address, abi, functionName: "transfer", args: [ADDR1, 10n ** 30n], account });
    } catch (e) {
      if (e instanceof BaseError) {
        const rev = e.walk((x) => x instanceof ContractFunctionRevertedError);
        if (rev instanceof ContractFunctionRevertedError) reason = rev.reason ?? "";
      }
    }
    expect(reason).toBe("insufficient balance");

    const deadline = Date.now() + 10_000;
    while ((logs.length < 1 || heads.length < 2) && Date.now() < deadline) await Bun.sleep(100);
    unwatchHeads();
    unwatchLogs();
    expect(heads.length).toBeGreaterThanOrEqual(2);
    expect(logs.length).toBeGreaterThanOrEqual(1);
    const client = await (ws.transport as unknown as { getRpcClient: () => Promise<{ close: () => void }> }).getRpcClient();
    client.close();
  }, 90_000);
});
