// A hostile peer of the beacon network for the sharding end-to-end test (issue 10 acceptance 2 over
// p2p): a real p2p node (createP2P, its own node key) that dials one beacon node's /p2p, listens to the
// receipt proofs bound for shard 0 (to tamper with a real one) and publishes forgeries: a proof whose
// receipt amount is changed, crosslinks with a signature of the wrong key or under a quorum.
import { type CxProof, decodeCxProof, encodeCxProof } from "../../src/core/index.ts";
import { commitPayload } from "../../src/core/index.ts";
import type { BLS } from "../../src/crypto/index.ts";
import { Topic, ValidationResult } from "../../src/p2p/index.ts";
import { type CrossLink, encodeCrossLinks } from "../../src/shard/index.ts";
import { type TestNode, startNode } from "../unit/p2p/_harness.ts";
import { waitFor } from "./_devnet.ts";

/** The forging peer and the real proofs for shard 0 it has heard. */
export interface Forger {
  readonly node: TestNode;
  /** Node id of the beacon node it dialed. */
  readonly targetId: string;
  readonly heard: CxProof[];
  /** Publish; the number of peers it went to. */
  publish(topic: string, data: Uint8Array): number;
}

/** Start the forger on the beacon network (`networkId`, beacon genesis hash, shard 0), dialing `target` only. */
export async function startForger(o: { networkId: number; genesisHash: Uint8Array; target: string }): Promise<Forger> {
  const node = await startNode({
    networkId: o.networkId, genesisHash: o.genesisHash, shardId: 0, bootnodes: [o.target], maxPeers: 1, peerExchange: false,
    maxMessageBytes: 16 * 1024 * 1024 + 64 * 1024, gossip: { heartbeatMs: 700 }, statusIntervalMs: 2_000,
  });
  const heard: CxProof[] = [];
  node.p2p.subscribe("cx/0", (msg) => {
    try {
      heard.push(decodeCxProof(msg.data, 6_000));
    } catch {
      // Not ours to judge.
    }
    return ValidationResult.IGNORE;
  });
  const targetId = await waitFor("the forger to connect to the beacon node", 20_000, () => node.p2p.peers().find((p) => p.url === o.target)?.id);
  return {
    node,
    targetId,
    heard,
    // Its peer's subscriptions come with the handshake: a caller publishes after hearing a proof.
    publish: (topic, data) => node.p2p.publish(topic, data).peers,
  };
}

/** `proof` with its first receipt's amount multiplied by `factor` (the trie nodes and header left as they are). */
export function tamperAmount(proof: CxProof, factor: bigint): Uint8Array {
  const [first, ...rest] = proof.receipts;
  if (first === undefined) throw new Error("a proof without receipts");
  return encodeCxProof({ ...proof, receipts: [{ index: first.index, receipt: { ...first.receipt, amount: first.receipt.amount * factor } }, ...rest] });
}

/**
 * A crosslink of shard `shardId` block `blockNumber` (hash `blockHash`, `viewId`, `epoch`) signed by a
 * key outside any committee, with `signers` of a committee of `committeeSize` in the bitmap.
 */
export function forgedCrossLink(bls: BLS, l: Omit<CrossLink, "signature" | "bitmap">, committeeSize: number, signers: readonly number[]): Uint8Array {
  const bitmap = new Uint8Array((committeeSize + 7) >> 3);
  for (const s of signers) bitmap[s >> 3] = (bitmap[s >> 3] as number) | (1 << (s & 7));
  const sk = bls.keygen(crypto.getRandomValues(new Uint8Array(32)));
  const signature = bls.sign(sk, commitPayload(l.blockNumber, l.blockHash, l.viewId));
  return encodeCrossLinks([{ ...l, signature, bitmap }]);
}

export { Topic };
