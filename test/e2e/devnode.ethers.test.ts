// Issue 3 acceptance 1 (ethers v6): the same flow with ethers against a real `harmony node --dev`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ContractFactory, Contract, JsonRpcProvider, WebSocketProvider, Wallet, parseEther, Interface } from "ethers";
import { compileContract } from "./_solc.ts";
import { type DevNode, removeDir, startDevNode, tempDir } from "./_node.ts";

// Anvil/Hardhat account #2 (DESIGN §4 dev accounts); #3 receives.
const KEY2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const ADDR3 = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

let node: DevNode;
let dir: string;

beforeAll(async () => {
  dir = tempDir("harmony-ethers-");
  node = await startDevNode({ dataDir: dir });
});
afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

describe("ethers v6 against harmony node --dev", () => {
  test("value transfer, ERC-20 deploy/transfer, logs, WS subscriptions, estimateGas, revert reason", async () => {
    const provider = new JsonRpcProvider(node.url, 31337, { staticNetwork: true, pollingInterval: 200 });
    const wallet = new Wallet(KEY2, provider);
    const wsProvider = new WebSocketProvider(node.wsUrl, 31337);

    const heads: number[] = [];
    await wsProvider.on("block", (n: number) => heads.push(n));

    const before = await provider.getBalance(ADDR3);
    expect(await provider.estimateGas({ from: wallet.address, to: ADDR3, value: parseEther("2") })).toBe(21000n);
    const tx = await wallet.sendTransaction({ to: ADDR3, value: parseEther("2") });
    const rc = await tx.wait();
    expect(rc?.status).toBe(1);
    expect(await provider.getBalance(ADDR3)).toBe(before + parseEther("2"));

    const { abi, bytecode } = compileContract("Token");
    const factory = new ContractFactory(abi as never, bytecode, wallet);
    const deployed = await factory.deploy(10n ** 24n);
    await deployed.waitForDeployment();
    const address = await deployed.getAddress();
    const token = new Contract(address, abi as never, wallet);
    const wsToken = new Contract(address, abi as never, wsProvider);

    const events: bigint[] = [];
    await wsToken.on("Transfer", (_from: string, _to: string, value: bigint) => events.push(value));
    await new Promise((r) => setTimeout(r, 300));

    const est = await token.getFunction("transfer").estimateGas(ADDR3, 7n);
    expect(est).toBeGreaterThan(21000n);
    const t = await token.getFunction("transfer")(ADDR3, 7n);
    const tr = await t.wait();
    expect(tr.status).toBe(1);
    expect(await token.getFunction("balanceOf")(ADDR3)).toBe(7n);

    const iface = new Interface(abi as never);
    const logs = await provider.getLogs({ address, fromBlock: 0, toBlock: "latest", topics: [iface.getEvent("Transfer")?.topicHash ?? ""] });
    expect(logs.length).toBe(2);
    expect(iface.parseLog(logs[1] as never)?.args[2]).toBe(7n);

    let reason = "";
    try {
      await token.getFunction("transfer").staticCall(ADDR3, 10n ** 30n);
    } catch (e) {
      reason = (e as { reason?: string }).reason ?? "";
    }
    expect(reason).toBe("insufficient balance");

    const deadline = Date.now() + 10_000;
    while ((events.length < 1 || heads.length < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(heads.length).toBeGreaterThanOrEqual(2);
    expect(events).toContain(7n);
    await wsProvider.destroy();
    provider.destroy();
  }, 90_000);
});
