// eth_createAccessList as a job on the node's call workers: the same list and gas as on the chain's
// own thread, a call that cannot run is the same TransactionError, and an endless loop is a typed
// timeout for all runs together.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Chain, openChain } from "../../../src/chain/index.ts";
import { TransactionError, createDevGenesis } from "../../../src/core/index.ts";
import { type AccessListResult, CallError, CallErrorCode, blockContextOf, createCallPacer } from "../../../src/execution/index.ts";
import { type CallPool, createCallPool } from "../../../src/node/index.ts";
import { type TraceJob, runTraceJob } from "../../../src/node/traceJobs.ts";
import { STORE_FILE, openDataDir } from "../../../src/store/index.ts";
import { createLogger } from "../../../src/util/index.ts";
import { addrs, produce, tx } from "../chain/_helpers.ts";
import { deployData, encodeCall } from "../execution/_contracts.ts";
import { compileAccessListContracts } from "../rpc/_accessListContracts.ts";

const { Store, Reader } = compileAccessListContracts();
// Init code deploying JUMPDEST PUSH1 0 JUMP (an endless loop): CODECOPY 4 bytes from offset 12, RETURN them.
const LOOP_INIT = Uint8Array.from([0x60, 0x04, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, 0x04, 0x60, 0x00, 0xf3, 0x5b, 0x60, 0x00, 0x56]);

const dir = mkdtempSync(join(tmpdir(), "harmony-alpool-"));
let chain: Chain | undefined;
let pool: CallPool | undefined;
afterAll(async () => {
  pool?.close();
  await chain?.close();
  chain?.kv.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("eth_createAccessList on the call workers", () => {
  test("same answer as on the chain's thread; precondition errors and timeouts typed", async () => {
    const c = await openChain(openDataDir(dir, { shareReads: true }), { genesis: createDevGenesis(), senderPool: null });
    chain = c;
    const d1 = await produce(c, [tx(0, 0n, { data: deployData(Store), gasLimit: 2_000_000n }), tx(1, 0n, { data: LOOP_INIT, gasLimit: 200_000n })]);
    const store = c.getTransactionReceipt(d1.block.transactions[0]!.hash())!.contractAddress!;
    const loop = c.getTransactionReceipt(d1.block.transactions[1]!.hash())!.contractAddress!;
    const d2 = await produce(c, [tx(0, 1n, { data: deployData(Reader, [`0x${Buffer.from(store).toString("hex")}`]), gasLimit: 2_000_000n })]);
    const reader = c.getTransactionReceipt(d2.block.transactions[0]!.hash())!.contractAddress!;
    pool = createCallPool({ size: 1 }, { storeFile: join(dir, STORE_FILE), config: c.config, shardId: 0, logger: createLogger("test") });
    const job = (params: { to: Uint8Array; data?: Uint8Array; gas?: bigint }, timeoutMs = 5000): TraceJob => ({
      kind: "accessList", stateRoot: c.head.stateRoot, params: { from: addrs[0], ...params }, opts: { gasCap: 30_000_000n, blockContext: blockContextOf(c.head) }, config: { timeoutMs },
    });
    const env = { config: c.config, shardId: 0, store: c.state, getBlockHash: (n: bigint) => c.db.getCanonicalHash(n) };
    const pull = job({ to: reader, data: encodeCall(Reader, "pull", [3n]) });
    const onWorker = (await pool.trace(pull)) as AccessListResult;
    const onThread = (await runTraceJob({ env, db: c.db }, pull, { pacer: createCallPacer() })) as AccessListResult;
    expect(onWorker).toEqual(onThread);
    expect(onWorker.accessList.map((e) => e.storageKeys.length)).toEqual([2, 2]);
    expect(onWorker.error).toBeUndefined();

    const low = await pool.trace(job({ to: reader, gas: 1000n })).catch((e: unknown) => e);
    expect(low).toBeInstanceOf(TransactionError);
    expect((low as Error).message).toContain("intrinsic gas too low");
    const slow = await pool.trace(job({ to: loop }, 300)).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(Error);
    expect((slow as Error).message).toMatch(/timeout/);
    const slowHere = await runTraceJob({ env, db: c.db }, job({ to: loop }, 300)).catch((e: unknown) => e);
    expect(slowHere).toBeInstanceOf(CallError);
    expect((slowHere as CallError).type.code).toBe(CallErrorCode.TIMEOUT);
  }, 60_000);
});
