// Issue 3 acceptance 4: replaying the same blocks from genesis on a fresh store gives identical state
// roots and receipts roots. The replaying chain re-executes every block as a validator would (no
// senders given, signatures recovered, roots compared by validateState).
import { describe, expect, test } from "bun:test";
import { bytesToHex } from "../../../src/util/index.ts";
import { encodeReceipt, type SignedTransaction } from "../../../src/core/index.ts";
import { compileContracts, deployData, encodeCall } from "../execution/_contracts.ts";
import { addrs, devChain, legacyTx, produce, tx } from "./_helpers.ts";

const { Token, Helper } = compileContracts();

describe("determinism", () => {
  test("a fresh store replaying the blocks reaches the same roots, receipts and balances", async () => {
    const a = await devChain();
    const nonces: bigint[] = new Array(10).fill(0n);
    const next = (i: number) => {
      const n = nonces[i] as bigint;
      nonces[i] = n + 1n;
      return n;
    };
    const tokenData = deployData(Token, [10n ** 24n]);
    const helperData = deployData(Helper);
    const b1 = await produce(a, [tx(0, next(0), { data: tokenData, gasLimit: 3_000_000n }), tx(1, next(1), { data: helperData, gasLimit: 3_000_000n })]);
    const token = a.getTransactionReceipt(b1.block.transactions[0]!.hash())!.contractAddress!;
    const helper = a.getTransactionReceipt(b1.block.transactions[1]!.hash())!.contractAddress!;
    for (let round = 0; round < 6; round++) {
      const txs: SignedTransaction[] = [];
      for (let k = 0; k < 5; k++) {
        const to = addrs[(round + k + 3) % 10]!;
        txs.push(tx(0, next(0), { to: token, gasLimit: 120_000n, data: encodeCall(Token, "transfer", [bytesToHex(to), BigInt(1000 + round * 10 + k)]) }));
      }
      txs.push(legacyTx(2, next(2), { to: addrs[round]!, value: BigInt(round + 1) }));
      txs.push(tx(1, next(1), { to: helper, gasLimit: 300_000n, data: encodeCall(Helper, round % 2 ? "clear" : "fill", [5n]) }));
      txs.push(tx(3, next(3), { to: helper, gasLimit: 100_000n, data: encodeCall(Helper, "fail", ["r"]) }));
      txs.push(tx(4, next(4), { to: new Uint8Array(20).fill(round + 1), value: 0n }));
      const built = await produce(a, txs);
      expect(built.block.transactions.length).toBe(txs.length);
    }
    expect(a.head.number).toBe(7n);

    const b = await devChain();
    expect(bytesToHex(b.genesis.hash)).toBe(bytesToHex(a.genesis.hash));
    for (let n = 1n; n <= a.head.number; n++) {
      const block = a.getBlockByNumber(n)!;
      await b.insertBlock(block);
      const ha = a.getHeaderByNumber(n)!;
      const hb = b.getHeaderByNumber(n)!;
      expect(bytesToHex(hb.stateRoot)).toBe(bytesToHex(ha.stateRoot));
      expect(bytesToHex(hb.receiptsRoot)).toBe(bytesToHex(ha.receiptsRoot));
      expect(b.getReceipts(hb.hash)!.map(encodeReceipt).map(bytesToHex)).toEqual(a.getReceipts(ha.hash)!.map(encodeReceipt).map(bytesToHex));
      expect(b.getSenders(hb.hash)).toEqual(a.getSenders(ha.hash)!);
    }
    for (const addr of [...addrs, token, helper]) expect(b.stateAt().getAccount(addr)).toEqual(a.stateAt().getAccount(addr));
    const statuses = a.getReceipts(a.head.hash)!.map((r) => r.status);
    expect(statuses).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 1]);
  });
});
