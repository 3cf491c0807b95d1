// Cross-shard transfers, execution half (DESIGN §Sharding, issue 10): the 0x…f9 contract's revert
// cases, the debit and CX receipt of a transfer (from an EOA and from a contract, dropped with an
// enclosing revert), the header's outgoing root built and checked, and a round trip source debit →
// receipt → proof → destination credit with balances and roots exact.
import { beforeAll, describe, expect, test } from "bun:test";
import solc from "solc";
import { type Abi, decodeErrorResult, encodeFunctionData } from "viem";
import {
  BlockError, BlockErrorCode, ChainConfig, CxErrorCode, DEV_ACCOUNT_BALANCE, DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT, TOKEN, createBlock, createCxReceipt, createDevGenesis, createHeader,
  computeCxReceiptsRoot, decodeCxProof, encodeCxProof, type Block,
} from "../../../src/core/index.ts";
import { Chain, ChainDB, canonicalBlockOps } from "../../../src/chain/index.ts";
import { blockContextOf, buildBlock, createShardEVM, executeBlock, validateState, type ShardEVM } from "../../../src/execution/index.ts";
import { CX_ABI, CX_ADDRESS_BYTES, CX_TRANSFER_GAS } from "../../../src/execution/cxAbi.ts";
import { isCxReceiptSpent } from "../../../src/execution/cxIncoming.ts";
import { createCxProof, verifyCxProof } from "../../../src/execution/cxProof.ts";
import { WorldState } from "../../../src/state/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";
import { addrs, common, produce, tx } from "../chain/_helpers.ts";

const CONFIG = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), shardCount: 2 });
const MAX = CONFIG.maxIncomingReceiptsPerBlock;
const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract CxUser {
    address constant CX = address(0xf9);
    constructor() payable {}
    function send(uint256 amount, address to, uint32 shard, bool thenRevert) public {
        (bool ok, bytes memory ret) = CX.call{value: amount}(abi.encodeWithSignature("crossShardTransfer(uint256,address,uint32)", amount, to, shard));
        if (!ok) { assembly { revert(add(ret, 32), mload(ret)) } }
        if (thenRevert) revert("undone by the caller");
    }
    function sendTwice(uint256 amount, address to, uint32 shard) external {
        send(amount, to, shard, false);
        send(amount + 1, to, shard, false);
    }
    function viaDelegatecall(uint256 amount, address to, uint32 shard) external {
        (bool ok, bytes memory ret) = CX.delegatecall(abi.encodeWithSignature("crossShardTransfer(uint256,address,uint32)", amount, to, shard));
        if (!ok) { assembly { revert(add(ret, 32), mload(ret)) } }
    }
}`;

let user: { abi: Abi; bytecode: Uint8Array };
beforeAll(() => {
  const out = JSON.parse(solc.compile(JSON.stringify({
    language: "Solidity",
    sources: { "s.sol": { content: SOURCE } },
    settings: { evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  })));
  const c = out.contracts["s.sol"].CxUser;
  user = { abi: c.abi, bytecode: hexToBytes(`0x${c.evm.bytecode.object}`) };
});

const cxCall = (amount: bigint, to: Uint8Array, shard: number) => hexToBytes(encodeFunctionData({ abi: CX_ABI, functionName: "crossShardTransfer", args: [amount, bytesToHex(to) as `0x${string}`, shard] }));
const userCall = (fn: string, args: unknown[]) => hexToBytes(encodeFunctionData({ abi: user.abi, functionName: fn, args } as never));
const reason = (data: Uint8Array | undefined) => (data ? decodeErrorResult({ abi: [], data: bytesToHex(data) as `0x${string}` }).args?.[0] : undefined);
const fresh = (b: number) => new Uint8Array(20).fill(b);

async function shardChain(shardId: number, config = CONFIG): Promise<Chain> {
  const genesis = createDevGenesis({ config });
  // A shard chain follows a beacon chain (its epochs and committees); shard 0 is its own.
  const beacon = shardId === 0 ? undefined : (await Chain.open(openStore(":memory:"), { genesis, senderPool: null })).beaconView();
  return Chain.open(openStore(":memory:"), { genesis, senderPool: null, shardId, ...(beacon ? { beacon } : {}) });
}

/** A shard's EVM of our own over `chain`'s store (the chain does not take incoming receipts yet). */
function evmOf(chain: Chain): Promise<ShardEVM> {
  return createShardEVM(CONFIG, chain.shardId, chain.state, (n) => chain.db.getCanonicalHash(n));
}

describe("the cross-shard contract at 0x…f9", () => {
  test("refuses the own shard, an unknown shard, amount ≠ msg.value, a zero amount, bad calls — with a reason", async () => {
    const chain = await shardChain(0);
    const from = addrs[0] as Uint8Array;
    const run = (value: bigint, data: Uint8Array, gas?: bigint) => chain.call({ from, to: CX_ADDRESS_BYTES, value, data, ...(gas ? { gas } : {}) });
    const cases: [bigint, Uint8Array, string][] = [
      [5n, cxCall(5n, fresh(1), 0), "cx: toShardID 0 is this shard (send a plain transfer)"],
      [5n, cxCall(5n, fresh(1), 2), "cx: unknown shard 2 (the network has 2)"],
      [4n, cxCall(5n, fresh(1), 1), "cx: amount 5 differs from msg.value 4"],
      [0n, cxCall(0n, fresh(1), 1), "cx: amount must be positive"],
      [5n, Uint8Array.of(1, 2, 3, 4), "cx: unknown function"],
      [5n, new Uint8Array(0), "cx: unknown function"],
    ];
    for (const [value, data, want] of cases) {
      const r = await run(value, data);
      expect(r.success).toBe(false);
      expect(reason(r.revertData)).toBe(want);
    }
    const truncated = await run(5n, cxCall(5n, fresh(1), 1).subarray(0, 60));
    expect(String(reason(truncated.revertData))).toContain("cx: bad calldata for crossShardTransfer");
    expect((await run(5n, cxCall(5n, fresh(1), 1), 21_000n + CX_TRANSFER_GAS - 1n)).error).toBe("out of gas");
    expect((await run(5n, cxCall(5n, fresh(1), 1))).success).toBe(true);
    // One shard: every destination is the own shard or unknown, so nothing can leave.
    const single = await shardChain(0, DEV_CHAIN_CONFIG);
    const r = await single.call({ from, to: CX_ADDRESS_BYTES, value: 5n, data: cxCall(5n, fresh(1), 1) });
    expect(reason(r.revertData)).toBe("cx: unknown shard 1 (the network has 1)");
  });

  test("not active before the crossShard epoch", async () => {
    const config = new ChainConfig({ ...CONFIG.toData(), activationEpochs: { ...CONFIG.activationEpochs, crossShard: 5n } });
    const chain = await shardChain(0, config);
    const r = await chain.call({ from: addrs[0], to: CX_ADDRESS_BYTES, value: 5n, data: cxCall(5n, fresh(1), 1) });
    expect(reason(r.revertData)).toBe("cx: cross-shard transfers are not active");
  });

  test("a refused transfer in a block reverts, keeps the value and emits no receipt", async () => {
    const chain = await shardChain(0);
    const b = await produce(chain, [tx(0, 0n, { to: CX_ADDRESS_BYTES, value: 9n, data: cxCall(9n, fresh(1), 0), gasLimit: 100_000n })]);
    const r = chain.getTransactionReceipt(b.block.transactions[0]!.hash())!;
    expect(r.receipt.status).toBe(0);
    expect(b.result.outgoingCxReceipts).toEqual([]);
    expect(b.block.header.outgoingCxReceiptsRoot).toEqual(EMPTY_TRIE_ROOT);
    expect(chain.stateAt().getBalance(addrs[0] as Uint8Array)).toBe(DEV_ACCOUNT_BALANCE - r.gasUsed * r.effectiveGasPrice);
  });

  test("a contract sends as msg.sender (twice in one tx: two receipts); its revert drops the receipt and the debit; no DELEGATECALL", async () => {
    const chain = await shardChain(0);
    const to = fresh(7);
    const deployed = await produce(chain, [tx(0, 0n, { data: new Uint8Array([...user.bytecode]), value: 100n * TOKEN, gasLimit: 1_000_000n })]);
    const c = chain.getTransactionReceipt(deployed.block.transactions[0]!.hash())!.contractAddress!;
    const b = await produce(chain, [
      tx(1, 0n, { to: c, data: userCall("sendTwice", [10n, bytesToHex(to), 1]), gasLimit: 300_000n }),
      tx(1, 1n, { to: c, data: userCall("send", [50n, bytesToHex(to), 1, true]), gasLimit: 300_000n }),
      tx(1, 2n, { to: c, data: userCall("viaDelegatecall", [50n, bytesToHex(to), 1]), gasLimit: 300_000n }),
    ]);
    const statuses = b.block.transactions.map((t) => chain.getTransactionReceipt(t.hash())!.receipt.status);
    expect(statuses).toEqual([1, 0, 0]);
    const h0 = b.block.transactions[0]!.hash();
    const want = [10n, 11n].map((amount) => createCxReceipt({ from: c, to, fromShard: 0, toShard: 1, amount, txHash: h0 }));
    expect(b.result.outgoingCxReceipts).toEqual(want);
    expect(b.result.cxOut).toBe(21n);
    expect(chain.getBurntFees(b.block.hash)?.cumulativeCxOut).toBe(21n);
    expect(b.block.header.outgoingCxReceiptsRoot).toEqual(computeCxReceiptsRoot(want));
    expect(chain.stateAt().getBalance(c)).toBe(100n * TOKEN - 21n);
    expect(chain.stateAt().getAccount(CX_ADDRESS_BYTES)).toBeNull(); // the value left the shard
    const dc = await chain.call({ from: addrs[1], to: c, data: userCall("viaDelegatecall", [50n, bytesToHex(to), 1]) });
    expect(reason(dc.revertData)).toBe("cx: call the cross-shard contract directly (no DELEGATECALL/CALLCODE)");
  });
});

describe("outgoing root in the header", () => {
  test("a validator recomputes it and rejects a header that claims another (OUTGOING_CX_ROOT_MISMATCH)", async () => {
    const src = await shardChain(0);
    const b = await produce(src, [tx(0, 0n, { to: CX_ADDRESS_BYTES, value: 3n * TOKEN, data: cxCall(3n * TOKEN, fresh(2), 1), gasLimit: 100_000n })]);
    expect(b.block.header.outgoingCxReceiptsRoot).not.toEqual(EMPTY_TRIE_ROOT);
    // Another node of the shard imports the block as built, and refuses it with the root cleared.
    const peer = await shardChain(0);
    const forged: Block = createBlock(createHeader({ ...b.block.header.toData(), outgoingCxReceiptsRoot: EMPTY_TRIE_ROOT }), [...b.block.transactions]);
    const err = await peer.insertBlock(forged).catch((e) => e);
    expect(err).toBeInstanceOf(BlockError);
    expect((err as BlockError).code).toBe(BlockErrorCode.OUTGOING_CX_ROOT_MISMATCH);
    await peer.insertBlock(b.block);
    expect(peer.head.hash).toEqual(b.block.hash);
  });
});

describe("round trip shard 0 → shard 1", () => {
  test("source debit → receipt → proof → destination credit, balances and roots exact; a replay in a later block is refused", async () => {
    const src = await shardChain(0);
    const dst = await shardChain(1);
    const to = fresh(0x55);
    const amount = 1234n * TOKEN + 5n;
    const b = await produce(src, [
      tx(3, 0n, { to: CX_ADDRESS_BYTES, value: amount, data: cxCall(amount, to, 1), gasLimit: 100_000n }),
      tx(4, 0n, { to: addrs[5], value: 1n }), // a plain transfer beside it emits nothing
    ]);
    const r = src.getTransactionReceipt(b.block.transactions[0]!.hash())!;
    const fee = r.gasUsed * r.effectiveGasPrice;
    expect(r.gasUsed).toBe(21_000n + calldataGas(cxCall(amount, to, 1)) + CX_TRANSFER_GAS);
    expect(src.stateAt().getBalance(addrs[3] as Uint8Array)).toBe(DEV_ACCOUNT_BALANCE - amount - fee);
    expect(src.getBurntFees(b.block.hash)!.burnt).toBe(fee + 21_000n * r.effectiveGasPrice); // the amount is not burnt
    expect(src.getBurntFees(b.block.hash)).toEqual(expect.objectContaining({ cxOut: amount, cumulativeCxOut: amount, cxIn: 0n })); // in flight
    const receipt = createCxReceipt({ from: addrs[3] as Uint8Array, to, fromShard: 0, toShard: 1, amount, txHash: b.block.transactions[0]!.hash() });
    expect(b.result.outgoingCxReceipts).toEqual([receipt]);
    expect(b.block.header.outgoingCxReceiptsRoot).toEqual(computeCxReceiptsRoot([receipt]));

    // The proof travels as bytes; the destination decodes it strictly and checks it.
    const proof = decodeCxProof(encodeCxProof(createCxProof(b.block.header, b.result.outgoingCxReceipts, 1)!), MAX);
    const crosslinked = new Set([bytesToHex(b.block.hash)]);
    verifyCxProof(proof, { shardId: 1, isCrosslinked: (s) => s.shardId === 0 && crosslinked.has(bytesToHex(s.hash)) });

    const shard = await evmOf(dst);
    const incoming = { shardId: 1, maxReceipts: MAX, receipts: proof.receipts };
    const parent = dst.head;
    const built = await buildBlock(CONFIG, shard, new WorldState(dst.state, parent.stateRoot), parent, [], { timestamp: parent.timestamp + 1n, incoming });
    const h = built.block.header;
    expect(h.incomingCxReceiptsRoot).toEqual(computeCxReceiptsRoot([receipt]));
    expect(built.result.cxIn).toBe(amount);
    // A validator re-executes with the same receipts: same roots. Without them the claim fails.
    const again = await executeBlock(shard, new WorldState(dst.state, parent.stateRoot), built.block, [], blockContextOf(h), undefined, incoming);
    validateState(built.block, again);
    const without = await executeBlock(shard, new WorldState(dst.state, parent.stateRoot), built.block, [], blockContextOf(h));
    expect(() => validateState(built.block, without)).toThrow(expect.objectContaining({ code: BlockErrorCode.INCOMING_CX_ROOT_MISMATCH }));

    dst.kv.batch(built.result.stateCommit.ops);
    dst.state.cacheCommitted(built.result.stateCommit);
    const after = new WorldState(dst.state, h.stateRoot);
    expect(after.getAccount(to)?.balance).toBe(amount);
    expect(isCxReceiptSpent(after, receipt.txHash, 0)).toBe(true);
    expect(after.getAccount(CX_ADDRESS_BYTES)).toEqual(expect.objectContaining({ nonce: 1n, balance: 0n }));
    // Value conserved to the wei: shard 0's holdings fell by amount + fees, shard 1's rose by amount.
    expect(b.result.cxOut).toBe(built.result.cxIn);

    // The same receipt offered again in the next block: refused, the block cannot be built.
    const replay = await buildBlock(CONFIG, shard, new WorldState(dst.state, h.stateRoot), h, [], { timestamp: h.timestamp + 1n, incoming }).catch((e) => e);
    expect(replay).toBeInstanceOf(BlockError);
    expect((replay as BlockError).type).toEqual(expect.objectContaining({ code: BlockErrorCode.CX_RECEIPT_INVALID, cxCode: CxErrorCode.ALREADY_SPENT, index: 0 }));
  });

  test("the supply record carries cxOut / cxIn and their running totals", async () => {
    const src = await shardChain(0);
    const b = await produce(src, []);
    const kv = openStore(":memory:");
    kv.batch(canonicalBlockOps(b.block, { receipts: [], senders: [], burnt: 1n, cumulativeBurnt: 2n, issued: 3n, cumulativeIssued: 4n, cxOut: 5n, cumulativeCxOut: 6n, cxIn: 7n, cumulativeCxIn: 8n }));
    const rec = new ChainDB(kv, common).getFees(b.block.hash)!;
    expect(rec).toEqual({ burnt: 1n, cumulativeBurnt: 2n, issued: 3n, cumulativeIssued: 4n, burntSlashes: 0n, cumulativeBurntSlashes: 0n, cxOut: 5n, cumulativeCxOut: 6n, cxIn: 7n, cumulativeCxIn: 8n });
    // A record written before the fields existed reads them as 0.
    expect(src.getBurntFees(b.block.hash)).toEqual(expect.objectContaining({ cxOut: 0n, cumulativeCxIn: 0n }));
  });
});

function calldataGas(data: Uint8Array): bigint {
  return data.reduce((g, x) => g + (x === 0 ? 4n : 16n), 0n);
}
