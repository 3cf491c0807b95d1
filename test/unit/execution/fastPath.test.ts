// Plain value transfers skip the interpreter: the state they leave must equal the EVM path's, for
// every shape of transfer (existing, new, zero-value to missing account, self, to an empty account).
import { describe, expect, test } from "bun:test";
import { DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT } from "../../../src/core/index.ts";
import { EMPTY_ACCOUNT, StateStore, WorldState } from "../../../src/state/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { createShardEVM, toEVMBlock, type Message } from "../../../src/execution/index.ts";
import { applyEVMMessage, applyTransfer } from "../../../src/execution/message.ts";
import { bytesToHex } from "../../../src/util/index.ts";

const A = new Uint8Array(20).fill(1);
const B = new Uint8Array(20).fill(2);
const EMPTY_ACCT = new Uint8Array(20).fill(3);
const MISSING = new Uint8Array(20).fill(4);

describe("fast path", () => {
  test("transfer shapes leave the same state root as the EVM path", async () => {
    const kv = openStore(":memory:");
    const store = new StateStore(kv);
    const w0 = new WorldState(store, EMPTY_TRIE_ROOT);
    w0.putAccount(A, { ...EMPTY_ACCOUNT, balance: 10n ** 24n, nonce: 3n });
    w0.putAccount(B, { ...EMPTY_ACCOUNT, balance: 5n });
    const c = w0.commit();
    kv.batch(c.ops);
    store.cacheCommitted(c);
    const shard = await createShardEVM(DEV_CHAIN_CONFIG, 0, store, () => undefined);
    const block = toEVMBlock({ number: 1n, timestamp: 1n, coinbase: new Uint8Array(20), gasLimit: 30_000_000n, mixHash: new Uint8Array(32), baseFee: 1n });
    for (const [to, value] of [[B, 9n], [MISSING, 1n], [MISSING, 0n], [A, 5n], [B, 0n]] as const) {
      const m: Message = { from: A, to, value, data: new Uint8Array([1, 0, 2]), gasLimit: 30000n, gasPrice: 7n, intrinsicGas: 21000n + 16n + 4n + 16n, accessList: [], type: 2 };
      const fast = new WorldState(store, c.root);
      fast.beginTx();
      const rf = applyTransfer(fast, m, fast.getAccount(A)!);
      const slow = new WorldState(store, c.root);
      shard.stateManager.world = slow;
      slow.beginTx();
      const rs = await applyEVMMessage(shard, block, m, slow.getAccount(A)!);
      expect(rs.success).toBe(true);
      expect(rf.gasUsed).toBe(rs.gasUsed);
      expect(bytesToHex(fast.stateRoot())).toBe(bytesToHex(slow.stateRoot()));
    }
    void EMPTY_ACCT;
  });
});
