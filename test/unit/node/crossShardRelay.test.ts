// The cross-shard relays on a node that runs both ends (issue 10; a validator runs every shard): a
// gossip publish marks the message seen, and the copy a peer relays back is dropped as a duplicate —
// the senders publish with local delivery. So the receipt proofs a node's source side sends must
// reach its own destination pool, and the crosslinks it sends as a shard leader its own beacon pool,
// without the network — found by the sharding e2e: a shard-0 leader left out receipts that its own
// shard-1 side had published first, until its seen-cache forgot them two minutes later.
import { afterEach, describe, expect, test } from "bun:test";
import { ChainConfig, type CxReceipt, DEV_CHAIN_CONFIG, type Header, commitPayload, computeCxReceiptsRoot, createCxReceipt, createHeader, keccak256 } from "../../../src/core/index.ts";
import { createBLS } from "../../../src/crypto/index.ts";
import { createCxProof } from "../../../src/execution/index.ts";
import { CrossLinkPool, listenCrossLinks, startCrossLinkSender } from "../../../src/node/crossLinkRelay.ts";
import { CxPool, cxTopic, listenCxProofs, startCxSender } from "../../../src/node/cxRelay.ts";
import { ValidationResult } from "../../../src/p2p/index.ts";
import { memoryLogger, startNode, stopAll, waitFor } from "../p2p/_harness.ts";

const CONFIG = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), shardCount: 2 });
const addr = (b: number) => new Uint8Array(20).fill(b);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  await stopAll();
});

/** Block 7 of shard 0 sending three receipts to shard 1, as a source chain's `block` event and look-ups. */
function sourceChain() {
  const outgoing: CxReceipt[] = [0, 1, 2].map((i) =>
    createCxReceipt({ from: addr(1 + i), to: addr(100 + i), fromShard: 0, toShard: 1, amount: 1000n + BigInt(i), txHash: keccak256(Uint8Array.of(i)) }),
  );
  const header = createHeader({ shardId: 0, number: 7n, outgoingCxReceiptsRoot: computeCxReceiptsRoot(outgoing) });
  let listener: ((b: { block: { hash: Uint8Array; number: bigint } }) => void) | undefined;
  const chain = {
    on: (_e: "block", fn: typeof listener) => {
      listener = fn;
      return () => (listener = undefined);
    },
    getOutgoingCxReceipts: () => outgoing,
    getCxProof: (_n: bigint, to: number) => createCxProof(header, outgoing, to),
  };
  return { chain, commit: () => listener?.({ block: { hash: header.hash, number: header.number } }) };
}

describe("receipt proofs a node sends itself", () => {
  test("reach its own destination pool, while a peer's copy of them is a duplicate there", async () => {
    const a = await startNode();
    const b = await startNode({ bootnodes: [a.url] });
    await waitFor(() => a.p2p.peerCount() === 1 && b.p2p.peerCount() === 1, 5_000, "the peers to connect");
    const pool = new CxPool({ shardId: 1, config: CONFIG, isCxReceiptSpent: () => false });
    const stopListening = listenCxProofs(a.p2p, pool);
    let heardByPeer = 0;
    b.p2p.subscribe(cxTopic(1), () => {
      heardByPeer++;
      return ValidationResult.IGNORE;
    });
    await sleep(300);
    const src = sourceChain();
    const stop = startCxSender({ chain: src.chain as never, p2p: a.p2p, logger: memoryLogger() });
    src.commit();
    // Through the publish's local delivery, not the network: a peer's copy is a duplicate here.
    await waitFor(() => pool.size === 1, 2_000, "our own proof in our own pool");
    expect(pool.pending()[0]?.receipts.map((r) => r.receipt.amount)).toEqual([1000n, 1001n, 1002n]);
    // The network still carries it to the others.
    await waitFor(() => heardByPeer === 1, 5_000, "the peer to hear the proof");
    stop();
    stopListening();
  });
});

describe("crosslinks a shard leader sends itself", () => {
  test("reach the beacon pool of its own node; a link signed under quorum is refused there too", async () => {
    const bls = await createBLS("native");
    const sks = [1, 2, 3, 4].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
    const keys = sks.map((sk) => bls.secretToPublic(sk));
    const state = { epoch: 0n, shards: [{ shardId: 0, slots: [] }, { shardId: 1, slots: keys.map((blsKey) => ({ blsKey, validator: new Uint8Array(20), effectiveStake: 0n })) }] };
    const pool = new CrossLinkPool(
      { db: { getLastCrossLink: () => undefined } as never, isEpochSettled: () => true, shardStateAt: () => state, config: CONFIG },
      { verify: async (checks) => checks.map((c) => bls.fastAggregateVerify([...c.publicKeys], c.message, c.signature)) },
      memoryLogger(),
    );
    const a = await startNode();
    const stopListening = listenCrossLinks(a.p2p, pool);
    const header: Header = createHeader({ shardId: 1, number: 1n, epoch: 0n, viewId: 3n });
    const signers = (slots: number[]) => ({
      sig: bls.aggregateSignatures(slots.map((i) => bls.sign(sks[i] as Uint8Array, commitPayload(1n, header.hash, 3n)))),
      bitmap: Uint8Array.of(slots.reduce((m, i) => m | (1 << i), 0)),
    });
    let proof = signers([0, 1]);
    let onHead: (() => void) | undefined;
    const shard = {
      shardId: 1, head: header, getHeaderByNumber: (n: bigint) => (n === 1n ? header : undefined), getCommitProof: () => proof,
      on: (_e: "head", fn: () => void) => {
        onHead = fn;
        return () => (onHead = undefined);
      },
    };
    const stop = startCrossLinkSender({ resendMs: 60_000 }, { shard: shard as never, beacon: { db: { getLastCrossLink: () => undefined } as never }, p2p: a.p2p, isLeader: () => true, logger: memoryLogger() });
    // Two of four keys are not a quorum: the pool refuses the link.
    onHead?.();
    await sleep(100);
    expect(pool.size).toBe(0);
    proof = signers([0, 1, 2]);
    onHead?.();
    await waitFor(() => pool.size === 1, 2_000, "our own link in our own pool");
    expect(pool.pending().map((l) => [l.shardId, l.blockNumber])).toEqual([[1, 1n]]);
    stop();
    stopListening();
  });
});
