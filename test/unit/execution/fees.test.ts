// One base fee per block (the header's baseFeePerGas, set from the config rule and checked by
// validators) and one effective gas price: a sender pays exactly gasUsed × effectiveGasPrice, and
// that is what is burnt and what its receipt reports (DESIGN §3 "all fees are burnt").
import { describe, expect, test } from "bun:test";
import { createTx } from "@ethereumjs/tx";
import {
  BlockError,
  BlockErrorCode,
  ChainConfig,
  DEV_CHAIN_CONFIG,
  type SignedTransaction,
  createBlock,
  createDevGenesis,
  createHeader,
} from "../../../src/core/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import { GWEI, addrs, candidates, common, devChain, keys, legacyTx, produce, tx } from "../chain/_helpers.ts";
import { compileContracts, deployData, encodeCall } from "./_contracts.ts";
import { bytesToHex } from "../../../src/util/index.ts";

const { Token } = compileContracts();

/** A signed EIP-2930 tx from dev account `from`. */
function accessListTx(from: number, nonce: bigint, fields: { to: Uint8Array; gasPrice: bigint; data?: Uint8Array; gasLimit?: bigint; value?: bigint }): SignedTransaction {
  return createTx(
    {
      type: 1, chainId: 31337n, nonce, to: fields.to, value: fields.value ?? 0n, gasPrice: fields.gasPrice,
      gasLimit: fields.gasLimit ?? 60_000n, data: fields.data ?? new Uint8Array(0), accessList: [[fields.to, []]],
    },
    { common },
  ).sign(keys[from] as Uint8Array) as SignedTransaction;
}

/**
 * For every sender of `txs` (all included in blocks of `chain`): the balance change from `before`
 * must equal Σ(value + gasUsed × effectiveGasPrice) over its receipts; returns Σ gasUsed × price.
 */
function checkAccounting(chain: Chain, txs: readonly SignedTransaction[], before: Map<string, bigint>, receivedBy: Map<string, bigint>): bigint {
  const spent = new Map<string, bigint>();
  let paid = 0n;
  for (const t of txs) {
    const r = chain.getTransactionReceipt(t.hash());
    expect(r).toBeDefined();
    const header = chain.getHeaderByHash(r!.blockHash)!;
    // The receipt's price is the one definition over the header's base fee.
    const expected = t.type === 2 ? min(t.maxFeePerGas, header.baseFeePerGas + t.maxPriorityFeePerGas) : t.gasPrice;
    expect(r!.effectiveGasPrice).toBe(expected);
    const fee = r!.gasUsed * r!.effectiveGasPrice;
    paid += fee;
    const k = bytesToHex(r!.sender);
    spent.set(k, (spent.get(k) ?? 0n) + t.value + fee);
  }
  const s = chain.stateAt();
  for (const [k, amount] of spent) {
    const a = addrs.find((x) => bytesToHex(x) === k)!;
    expect(s.getBalance(a)).toBe((before.get(k) as bigint) - amount + (receivedBy.get(k) ?? 0n));
  }
  return paid;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function balances(chain: Chain): Map<string, bigint> {
  const s = chain.stateAt();
  return new Map(addrs.map((a) => [bytesToHex(a), s.getBalance(a)]));
}

describe("the base fee of a block", () => {
  test("genesis and every produced header carry the config rule's base fee (minGasPrice)", async () => {
    const chain = await devChain();
    expect(chain.head.baseFeePerGas).toBe(DEV_CHAIN_CONFIG.baseFee(0n));
    expect(chain.head.baseFeePerGas).toBe(GWEI);
    const b = await produce(chain, []);
    expect(b.block.header.baseFeePerGas).toBe(DEV_CHAIN_CONFIG.nextBaseFee(chain.getHeaderByNumber(0n)!));
    expect(b.block.header.baseFeePerGas).toBe(GWEI);
  });

  test("a validator rejects a header whose baseFeePerGas differs from the rule (BASE_FEE_INVALID)", async () => {
    const leader = await devChain();
    const validator = await devChain();
    const built = await leader.proposeBlock(candidates([tx(0, 0n, { to: addrs[1], value: 5n, maxFeePerGas: 3n * GWEI, tip: GWEI })]), { timestamp: 1n });
    for (const wrong of [0n, 2n * GWEI]) {
      const h = createHeader({ ...built.block.header.toData(), baseFeePerGas: wrong });
      const err = await validator.insertBlock(createBlock(h, built.block.transactions)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlockError);
      expect((err as BlockError).type).toMatchObject({ code: BlockErrorCode.BASE_FEE_INVALID, expected: GWEI, actual: wrong });
    }
    expect(validator.head.number).toBe(0n);
    await validator.insertBlock(built.block);
    expect(validator.head.hash).toEqual(built.block.hash);
  });
});

describe("exact fee accounting", () => {
  test("the issue's case: maxFee 2 gwei, tip 1 gwei at base fee 1 gwei pays, burns and reports 2 gwei", async () => {
    const chain = await devChain();
    const before = chain.stateAt().getBalance(addrs[0]!);
    const t = tx(0, 0n, { to: addrs[5], value: 0n, maxFeePerGas: 2n * GWEI, tip: GWEI });
    const b = await produce(chain, [t]);
    const r = chain.getTransactionReceipt(t.hash())!;
    expect(b.block.header.baseFeePerGas).toBe(GWEI);
    expect(r.effectiveGasPrice).toBe(2n * GWEI);
    expect(before - chain.stateAt().getBalance(addrs[0]!)).toBe(21000n * 2n * GWEI);
    expect(chain.getBurntFees(b.block.hash)!.burnt).toBe(21000n * 2n * GWEI);
  });

  for (const baseFee of [GWEI, 7n * GWEI]) {
    test(`legacy, 2930 and 1559 transfers and contract calls with varied tips at base fee ${baseFee / GWEI} gwei`, async () => {
      const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), minGasPrice: baseFee });
      const chain = await devChain(undefined, createDevGenesis({ config }));
      expect(chain.head.baseFeePerGas).toBe(baseFee);
      const deploy = tx(9, 0n, { data: deployData(Token, [1_000_000n]), gasLimit: 3_000_000n, maxFeePerGas: baseFee * 2n, tip: 3n });
      const first = await produce(chain, [deploy]);
      const token = chain.getTransactionReceipt(deploy.hash())!.contractAddress!;
      const before = balances(chain);
      const transfer = (to: Uint8Array) => encodeCall(Token, "transfer", [bytesToHex(to), 0n]);
      const txs = [
        legacyTx(0, 0n, { to: addrs[6], value: 11n, gasPrice: baseFee }),
        legacyTx(0, 1n, { to: token, data: transfer(addrs[6]!), gasLimit: 100_000n, gasPrice: baseFee + 5n }),
        accessListTx(1, 0n, { to: addrs[7]!, value: 12n, gasPrice: baseFee * 3n }),
        accessListTx(1, 1n, { to: token, data: transfer(addrs[7]!), gasLimit: 100_000n, gasPrice: baseFee + 1n }),
        tx(2, 0n, { to: addrs[8], value: 13n, maxFeePerGas: baseFee * 2n, tip: 0n }), // pays the base fee only
        tx(2, 1n, { to: token, data: transfer(addrs[8]!), gasLimit: 100_000n, maxFeePerGas: baseFee * 3n, tip: GWEI }), // tip-bound
        tx(3, 0n, { to: addrs[8], value: 14n, maxFeePerGas: baseFee + 2n, tip: baseFee }), // fee-cap-bound
        tx(3, 1n, { to: token, data: transfer(addrs[6]!), gasLimit: 100_000n, maxFeePerGas: baseFee * 2n, tip: baseFee * 2n }),
      ];
      const b1 = await produce(chain, txs.slice(0, 5));
      const b2 = await produce(chain, txs.slice(5));
      expect(b1.block.transactions.length + b2.block.transactions.length).toBe(txs.length);
      // Value went to accounts 6..8; only senders 0..3 are checked, so nothing flows between them.
      const paid = checkAccounting(chain, txs, before, new Map());
      const burnt = chain.getBurntFees(b1.block.hash)!.burnt + chain.getBurntFees(b2.block.hash)!.burnt;
      expect(burnt).toBe(paid);
      const firstBurnt = chain.getBurntFees(first.block.hash)!.cumulativeBurnt;
      expect(chain.getBurntFees(b2.block.hash)!.cumulativeBurnt).toBe(firstBurnt + paid);
      expect(chain.stateAt().getBalance(new Uint8Array(20))).toBe(0n); // the coinbase gets no tip: it is burnt too
    });
  }
});
