// An in-process network of consensus drivers for the node tests: real chains on in-memory stores,
// real BLS keys and signatures, and a small message bus between the drivers (messages are encoded
// and decoded on the way, delivered after a short delay, optionally cut).
import { type Chain, openChain } from "../../../src/chain/index.ts";
import { type Committee, type ConsensusMessage, createCommittee, decodeConsensusMessage, encodeConsensusMessage } from "../../../src/consensus/index.ts";
import { ChainConfig, DEV_CHAIN_CONFIG, type GenesisSpec, createDevGenesis } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { createBLSVerifierPool } from "../../../src/node/blsPool.ts";
import { ConsensusDriver, type ConsensusDriverOptions, type DriverNet } from "../../../src/node/consensusDriver.ts";
import { RandomBeacon } from "../../../src/node/randomBeacon.ts";
import { EpochCommittees } from "../../../src/node/epochCommittees.ts";
import { type EvidenceStore, createEvidenceStore } from "../../../src/node/evidenceStore.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";
import { type SafetyStore, createMemorySafetyStore } from "../../../src/node/safetyFile.ts";
import { type RandomnessOverrides, createRandomnessParams } from "../../../src/randomness/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { type LogLine, memoryLogger } from "./_helpers.ts";

/** Consensus timing of the test chains: fast blocks and view changes, rotation every 4 blocks. */
export function testConfig(blockTimeMs = 150, viewChangeBaseMs = 800): ChainConfig {
  return new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), blockTimeMs, epochBlocks: 8, consensus: { viewChangeBaseMs, leaderRotationMinBlocks: 4 } });
}

/** One node of the test network. */
export interface TestNode {
  readonly index: number;
  readonly peerId: string;
  readonly chain: Chain;
  readonly committees: EpochCommittees;
  readonly driver: ConsensusDriver;
  readonly safety: SafetyStore;
  readonly logs: LogLine[];
  readonly penalties: { from: string; reason: string }[];
  /** Messages this node sent, in order, with the durable record at the time of sending. */
  readonly sent: { message: ConsensusMessage; record: ReturnType<SafetyStore["load"]> }[];
  /** Double-sign evidence the node's driver found. */
  readonly evidence: EvidenceStore;
  /** With `beacon`: the node's random beacon. */
  readonly beacon?: RandomBeacon;
  down: boolean;
}

/** A network of drivers. */
export interface TestNetwork {
  readonly bls: BLS;
  readonly committee: Committee;
  readonly secretKeys: Uint8Array[];
  readonly genesis: GenesisSpec;
  readonly nodes: TestNode[];
  /** Add a node with these slots (another instance of existing keys, for the doppelganger test). */
  addNode(slots: number[], opts?: Partial<ConsensusDriverOptions> & { safety?: SafetyStore; kill?: () => void; takeOver?: boolean }): Promise<TestNode>;
  stop(): Promise<void>;
}

const peer = (i: number) => `0x${i.toString(16).padStart(40, "0")}`;

/** Start `n` validators with one key each (`keysPerNode` to give node i several slots). */
export async function startTestNetwork(o: {
  n?: number; keysPerNode?: number; config?: ChainConfig; doppelgangerViews?: number; wrapSafety?: (i: number, s: SafetyStore) => SafetyStore;
  /** Give every node a random beacon (accumulator, VDF evaluation); `withholdVDF(i)` makes node i withhold its VDF output. */
  beacon?: { withholdVDF?: (i: number) => boolean; overrides?: RandomnessOverrides };
  /** Delivery delay from node `from` to node `to`, ms (default 2). */
  delayMs?: (from: number, to: number) => number;
  /** A genesis of our own (its committee must be the network's keys, in slot order). */
  genesis?: (keys: Uint8Array[], config: ChainConfig) => GenesisSpec;
  /** Wrap node i's outgoing messages (e.g. the double-sign fail point). */
  wrapNet?: (i: number, net: DriverNet) => DriverNet;
} = {}): Promise<TestNetwork> {
  const k = o.keysPerNode ?? 1;
  const n = (o.n ?? 4) * k;
  const bls = await createBLS("native");
  const secretKeys = Array.from({ length: n }, (_, i) => bls.keygen(new Uint8Array(32).fill(i + 11)));
  const committee = createCommittee({ keys: secretKeys.map((k) => bls.secretToPublic(k)) });
  const config = o.config ?? testConfig();
  const genesis = o.genesis?.(committee.keys.map((k) => k.slice()), config) ?? createDevGenesis({ config, committees: [committee.keys.map((k) => k.slice())] });
  const verifier = createBLSVerifierPool(bls, { size: 0 }, { logger: memoryLogger() });
  const randomness = createRandomnessParams(config, o.beacon?.overrides);
  const nodes: TestNode[] = [];
  /** Hex BLS key → the node holding it (slots are per epoch; keys are not). */
  const owner = new Map<string, TestNode>();
  const deliver = (from: TestNode, to: TestNode, m: ConsensusMessage) => {
    const bytes = encodeConsensusMessage(m);
    setTimeout(() => {
      if (!to.down && !from.down) to.driver.receive(decodeConsensusMessage(bytes), from.peerId);
    }, o.delayMs?.(from.index, to.index) ?? 2);
  };

  async function addNode(slots: number[], opts: Partial<ConsensusDriverOptions> & { safety?: SafetyStore; kill?: () => void; takeOver?: boolean } = {}): Promise<TestNode> {
    const { kill, safety: givenSafety, takeOver, ...extra } = opts;
    const index = nodes.length;
    const logs: LogLine[] = [];
    const chain = await openChain(openStore(":memory:"), { genesis, senderPool: null, logger: memoryLogger(), randomness });
    const base = givenSafety ?? createMemorySafetyStore();
    const safety = o.wrapSafety ? o.wrapSafety(index, base) : base;
    const beacon = o.beacon
      ? new RandomBeacon({ evaluateVDF: true, withholdVDF: o.beacon.withholdVDF?.(index) ?? false }, { chain, logger: memoryLogger(logs) })
      : undefined;
    if (beacon) chain.on("block", (b) => beacon.onCommitted(b.block.header));
    const committees = new EpochCommittees(chain, slots.map((s) => ({ secretKey: secretKeys[s] as Uint8Array, publicKey: committee.keys[s] as Uint8Array })));
    const evidence = createEvidenceStore();
    const node = { index, peerId: peer(index + 1), chain, committees, logs, penalties: [], sent: [], evidence, down: false, safety, ...(beacon ? { beacon } : {}) } as unknown as TestNode;
    const plainNet: DriverNet = {
      broadcast(m) {
        node.sent.push({ message: m, record: safety.load() });
        for (const other of nodes) if (other !== node) deliver(node, other, m);
      },
      send(slot, m) {
        node.sent.push({ message: m, record: safety.load() });
        const key = committees.forHeight(m.height)?.committee.keys[slot];
        const to = key && owner.get(bytesToHex(key));
        if (to) deliver(node, to, m);
      },
      penalize: (from, reason) => node.penalties.push({ from, reason }),
    };
    const net = o.wrapNet ? o.wrapNet(index, plainNet) : plainNet;
    const driver = new ConsensusDriver(
      {
        committees, viewChangeBaseMs: config.consensus.viewChangeBaseMs, blockTimeMs: config.blockTimeMs,
        doppelgangerViews: o.doppelgangerViews ?? 0, randomness, ...extra,
      },
      {
        chain, bls, verifier, net, safety, evidence, logger: memoryLogger(logs), ...(beacon ? { beacon } : {}), ...(kill ? { kill } : {}),
        fetcher: {
          request(from, give) {
            const src = nodes.find((x) => x !== node && !x.down && x.chain.head.number >= from);
            if (!src) return;
            for (let h = from; h <= src.chain.head.number && h < from + 32n; h++) {
              const b = src.chain.getBlockByNumber(h);
              const p = b && src.chain.getCommitProof(b.hash);
              if (b && p) setTimeout(() => give(b.encode(), { signature: p.sig, bitmap: p.bitmap }, src.peerId), 2);
            }
          },
        },
      },
    );
    (node as { driver: ConsensusDriver }).driver = driver;
    chain.on("head", () => driver.onChainHead());
    nodes.push(node);
    for (const s of slots) {
      const key = bytesToHex(committee.keys[s] as Uint8Array);
      if (takeOver || !owner.has(key)) owner.set(key, node);
    }
    return node;
  }

  for (let i = 0; i < n / k; i++) await addNode(Array.from({ length: k }, (_, j) => i * k + j));
  return {
    bls, committee, secretKeys, genesis, nodes, addNode,
    async stop() {
      for (const x of nodes) {
        x.down = true;
        await x.driver.stop();
        x.beacon?.stop();
      }
      verifier.close();
    },
  };
}

/** Poll until `cond` holds, or fail after `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
