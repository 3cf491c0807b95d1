// Block execution through @ethereumjs/evm (Cancun): transfers, contract deploy and calls, fees burnt
// (DESIGN §3), refunds (EIP-3529), reverts, block context opcodes, invalid transactions.
import { describe, expect, test } from "bun:test";
import { keccak256 } from "../../../src/crypto/index.ts";
import { BlockError, BlockErrorCode, DEV_ACCOUNT_BALANCE, createBlock, createHeader } from "../../../src/core/index.ts";
import { addrs, devChain, produce, tx, legacyTx, GWEI, candidates } from "../chain/_helpers.ts";
import { compileContracts, decodeCall, deployData, encodeCall, revertReason } from "./_contracts.ts";
import { bytesToHex } from "../../../src/util/index.ts";

const { Token, Helper } = compileContracts();
const word = (a: Uint8Array) => bytesToHex(a);

async function deploy(chain: Awaited<ReturnType<typeof devChain>>, from: number, nonce: bigint, name: "Token" | "Helper", args: unknown[] = []) {
  const c = name === "Token" ? Token : Helper;
  const data = deployData(c, args);
  const b = await produce(chain, [tx(from, nonce, { data, gasLimit: 3_000_000n })]);
  const r = chain.getTransactionReceipt(b.block.transactions[0]!.hash());
  expect(r?.receipt.status).toBe(1);
  return r!.contractAddress!;
}

describe("transfers", () => {
  test("balances, nonces, gas and burnt fees of plain transfers (1559 and legacy)", async () => {
    const chain = await devChain();
    const fresh = new Uint8Array(20).fill(0x42);
    const b = await produce(chain, [
      tx(0, 0n, { to: addrs[1], value: 1000n, tip: 5n }),
      legacyTx(0, 1n, { to: fresh, value: 7n, gasPrice: 3n * GWEI }),
      tx(1, 0n, { to: new Uint8Array(20).fill(0x43), value: 0n }),
    ]);
    expect(b.block.transactions.length).toBe(3);
    expect(b.block.header.gasUsed).toBe(63_000n);
    const s = chain.stateAt();
    const fee0 = 21000n * (GWEI + 5n) + 21000n * 3n * GWEI;
    const fee1 = 21000n * GWEI;
    expect(s.getBalance(addrs[0]!)).toBe(DEV_ACCOUNT_BALANCE - 1007n - fee0);
    expect(s.getBalance(addrs[1]!)).toBe(DEV_ACCOUNT_BALANCE + 1000n - fee1);
    expect(s.getBalance(fresh)).toBe(7n);
    expect(s.getNonce(addrs[0]!)).toBe(2n);
    expect(s.getAccount(new Uint8Array(20).fill(0x43))).toBeNull(); // EIP-161: zero-value touch creates nothing
    expect(chain.getBurntFees(b.block.hash)?.burnt).toBe(fee0 + fee1);
    expect(s.getBalance(new Uint8Array(20))).toBe(0n); // coinbase gets nothing
    const r = chain.getTransactionReceipt(b.block.transactions[1]!.hash())!;
    expect(r.gasUsed).toBe(21000n);
    expect(r.effectiveGasPrice).toBe(3n * GWEI);
    expect(r.sender).toEqual(addrs[0]!);
  });

  test("total supply decreases by exactly the fees burnt", async () => {
    const chain = await devChain();
    const { Token: _t } = compileContracts();
    const supply = () => {
      const s = chain.stateAt();
      return addrs.reduce((sum, a) => sum + s.getBalance(a), 0n) + s.getBalance(new Uint8Array(20).fill(9));
    };
    const before = supply();
    const b = await produce(chain, [tx(2, 0n, { to: new Uint8Array(20).fill(9), value: 123n }), tx(3, 0n, { data: Uint8Array.of(0x60, 0x00), gasLimit: 100_000n })]);
    const burnt = chain.getBurntFees(b.block.hash)!.burnt;
    expect(burnt).toBeGreaterThan(0n);
    expect(supply()).toBe(before - burnt);
    expect(chain.getBurntFees(b.block.hash)!.cumulativeBurnt).toBe(burnt);
  });
});

describe("contracts", () => {
  test("deploy an ERC-20 compiled with solc, transfer, read balances and Transfer logs", async () => {
    const chain = await devChain();
    const token = await deploy(chain, 0, 0n, "Token", [1_000_000n]);
    expect(chain.stateAt().getCode(token).length).toBeGreaterThan(0);
    const data = encodeCall(Token, "transfer", [word(addrs[2]!), 250n]);
    const b = await produce(chain, [tx(0, 1n, { to: token, data, gasLimit: 100_000n })]);
    const r = chain.getTransactionReceipt(b.block.transactions[0]!.hash())!;
    expect(r.receipt.status).toBe(1);
    expect(r.logs.length).toBe(1);
    const transferTopic = keccak256(new TextEncoder().encode("Transfer(address,address,uint256)"));
    expect(r.logs[0]!.topics[0]).toEqual(transferTopic);
    expect(r.logs[0]!.address).toEqual(token);
    const call = await chain.call({ to: token, data: encodeCall(Token, "balanceOf", [word(addrs[2]!)]) });
    expect(call.success).toBe(true);
    expect(decodeCall(Token, "balanceOf", call.returnData)).toBe(250n);
    const logs = chain.getLogs({ fromBlock: 0n, toBlock: 100n, addresses: [token], topics: [[transferTopic], null, [new Uint8Array([...new Uint8Array(12), ...addrs[2]!])]], limit: 10 });
    expect(logs.length).toBe(1);
    expect(logs[0]!.blockNumber).toBe(b.block.number);
  });

  test("a reverting transaction is included with status 0, charges gas, and eth_call returns the revert data", async () => {
    const chain = await devChain();
    const helper = await deploy(chain, 0, 0n, "Helper");
    const data = encodeCall(Helper, "fail", ["nope"]);
    const b = await produce(chain, [tx(1, 0n, { to: helper, data, gasLimit: 100_000n })]);
    const r = chain.getTransactionReceipt(b.block.transactions[0]!.hash())!;
    expect(r.receipt.status).toBe(0);
    expect(r.gasUsed).toBeGreaterThan(21000n);
    expect(chain.stateAt().getNonce(addrs[1]!)).toBe(1n);
    const call = await chain.call({ from: addrs[1]!, to: helper, data });
    expect(call.success).toBe(false);
    expect(call.error).toBe("revert");
    expect(revertReason(call.revertData!)).toBe("nope");
  });

  test("storage refunds are capped at a fifth of gas used (EIP-3529)", async () => {
    const chain = await devChain();
    const helper = await deploy(chain, 0, 0n, "Helper");
    const fill = encodeCall(Helper, "fill", [20n]);
    const clear = encodeCall(Helper, "clear", [20n]);
    await produce(chain, [tx(0, 1n, { to: helper, data: fill, gasLimit: 1_000_000n })]);
    const b = await produce(chain, [tx(0, 2n, { to: helper, data: clear, gasLimit: 1_000_000n })]);
    const used = chain.getTransactionReceipt(b.block.transactions[0]!.hash())!.gasUsed;
    // 20 slots cleared: 20 × (5000 - 2100 cold) of SSTORE work, 20 × 4800 refund, capped at used/5
    expect(used).toBeLessThan(20n * 5000n);
    expect(chain.stateAt().getStorage(helper, new Uint8Array(32))[31]).toBe(0);
  });

  test("block context opcodes: number, timestamp, basefee = min gas price, chainid 31337, blockhash", async () => {
    const chain = await devChain();
    const helper = await deploy(chain, 0, 0n, "Helper");
    await produce(chain, [], chain.head.timestamp + 5n);
    const data = encodeCall(Helper, "blockInfo");
    const call = await chain.call({ to: helper, data });
    const [number, timestamp, basefee, chainid, parentHash] = decodeCall(Helper, "blockInfo", call.returnData) as [bigint, bigint, bigint, bigint, string];
    expect(number).toBe(chain.head.number);
    expect(timestamp).toBe(chain.head.timestamp);
    expect(basefee).toBe(GWEI);
    expect(chainid).toBe(31337n);
    expect(parentHash).toBe(bytesToHex(chain.head.parentHash));
  });
});

describe("calls and estimates", () => {
  test("estimateGas: a plain transfer is exactly 21000; a contract call gets the smallest gas that succeeds", async () => {
    const chain = await devChain();
    const est = await chain.estimateGas({ from: addrs[0]!, to: addrs[1]!, value: 1n });
    expect(est).toEqual({ ok: true, gas: 21000n });
    const helper = await deploy(chain, 0, 0n, "Helper");
    const data = encodeCall(Helper, "fill", [3n]);
    const e = await chain.estimateGas({ from: addrs[0]!, to: helper, data });
    if (!e.ok) throw new Error("estimate failed");
    expect((await chain.call({ from: addrs[0]!, to: helper, data, gas: e.gas })).success).toBe(true);
    expect((await chain.call({ from: addrs[0]!, to: helper, data, gas: e.gas - 1n })).success).toBe(false);
    const failing = await chain.estimateGas({ from: addrs[0]!, to: helper, data: encodeCall(Helper, "fail", ["x"]) });
    expect(failing.ok).toBe(false);
  });

  test("state overrides apply to one call only; a spinning call times out", async () => {
    const chain = await devChain();
    const helper = await deploy(chain, 0, 0n, "Helper");
    const counter = encodeCall(Helper, "counter");
    const slot0 = new Uint8Array(32);
    const v = new Uint8Array(32);
    v[31] = 77;
    const r = await chain.call({ to: helper, data: counter }, { stateOverrides: [{ address: helper, stateDiff: [[slot0, v]] }] });
    expect(BigInt(bytesToHex(r.returnData))).toBe(77n);
    expect(BigInt(bytesToHex((await chain.call({ to: helper, data: counter })).returnData))).toBe(0n);
    const rich = await chain.call({ from: new Uint8Array(20).fill(5), to: addrs[0]!, value: 10n ** 30n }, { stateOverrides: [{ address: new Uint8Array(20).fill(5), balance: 10n ** 31n }] });
    expect(rich.success).toBe(true);
    const spin = encodeCall(Helper, "spin");
    await expect(chain.call({ to: helper, data: spin }, { timeoutMs: 100, gasCap: 10_000_000_000n })).rejects.toMatchObject({ code: "CALL_ERROR_TIMEOUT" });
  });
});

describe("invalid transactions", () => {
  test("the builder skips invalid candidates; a peer block containing one is rejected", async () => {
    const chain = await devChain();
    const bad = [
      tx(0, 5n, { to: addrs[1] }), // nonce too high
      tx(0, 0n, { to: addrs[1], maxFeePerGas: GWEI - 1n }), // below the minimum gas price
      tx(0, 0n, { to: addrs[1], value: DEV_ACCOUNT_BALANCE }), // cannot pay value + gas
      tx(0, 0n, { to: addrs[1], gasLimit: 20_000n }), // below intrinsic gas
    ];
    const good = tx(0, 0n, { to: addrs[1], value: 1n });
    const built = await chain.produceBlock(candidates([...bad, good]), { timestamp: 1n });
    expect(built!.block.transactions.length).toBe(1);
    expect(built!.skipped.map((s) => s.error.code)).toEqual(["TX_ERROR_NONCE_TOO_HIGH", "TX_ERROR_GAS_PRICE_TOO_LOW", "TX_ERROR_INSUFFICIENT_FUNDS", "TX_ERROR_INTRINSIC_GAS_TOO_LOW"]);

    // a "peer" block claiming an invalid transaction
    const head = chain.head;
    const forged = createBlock(createHeader({ ...built!.block.header.toData(), parentHash: head.hash, number: head.number + 1n, txRoot: built!.block.header.txRoot }), [good]);
    const err = await chain.insertBlock(forged).catch((e) => e);
    expect(err).toBeInstanceOf(BlockError);
    expect((err as BlockError).type).toMatchObject({ code: BlockErrorCode.INVALID_TRANSACTION, txCode: "TX_ERROR_NONCE_TOO_LOW" });
    expect(chain.head.hash).toEqual(head.hash);
  });
});
