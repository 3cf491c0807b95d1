/**
 * First run of a devnet data dir: per-node BLS keys (EIP-2335, light KDF, one random passphrase in
 * `passphrase.txt`), node keys, the genesis (shard count S; each shard's committee = the keys of its
 * validator nodes; every validator node of every shard a genesis validator), and `layout.json`. Everything is written into a sibling temporary directory that is renamed into place
 * at the end, so an interrupted run leaves no half-written devnet behind.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ChainConfig, DEV_CHAIN_CONFIG, type GenesisValidator, TOKEN, createDevGenesis, genesisToJSON } from "../core/index.ts";
import { KDF_LIGHT, encryptBLSKeystore, generatePrivateKey, privateKeyToAddress } from "../crypto/index.ts";
import type { BLS } from "../crypto/index.ts";
import { bytesToHex, hexToBytes } from "../util/index.ts";
import { DevnetError, DevnetErrorCode } from "./_devnetErrors.ts";
import { GENESIS_FILE, LAYOUT_FILE, PASSPHRASE_FILE } from "./_devnetLayout.ts";
import type { DevnetLayout, DevnetLayoutNode } from "./_devnetLayout.ts";
import type { DevnetOptions } from "./_devnetOptions.ts";

/** What {@link createDevnetFiles} needs of the options. */
export type DevnetShape = Pick<DevnetOptions, "dataDir" | "shards" | "validators" | "keysPerNode" | "rpcNodes" | "blockTimeMs" | "epochBlocks" | "slots">;

/**
 * The devnet chain config: the dev config (network 31337, everything active at epoch 0) with the
 * shard count, block time, epoch length and elected slots per shard asked for.
 */
export function devnetChainConfig(o: Pick<DevnetShape, "shards" | "blockTimeMs" | "epochBlocks" | "slots">): ChainConfig {
  const base = DEV_CHAIN_CONFIG.toData();
  return new ChainConfig({ ...base, name: "devnet", shardCount: o.shards, blockTimeMs: o.blockTimeMs, epochBlocks: o.epochBlocks, staking: { ...base.staking, slotsPerShard: o.slots } });
}

/** Self-stake of each devnet validator (minted at genesis). */
const DEVNET_VALIDATOR_STAKE = 10_000n * TOKEN;

function randomPassphrase(): string {
  const b = new Uint8Array(32);
  crypto.getRandomValues(b);
  return bytesToHex(b).slice(2);
}

async function writeNode(tmp: string, name: string, shardId: number, keys: number, ctx: { bls: BLS; passphrase: string; operators: Map<string, Uint8Array> }): Promise<DevnetLayoutNode> {
  const dir = join(tmp, name);
  mkdirSync(join(dir, "keystore"), { recursive: true, mode: 0o700 });
  // Hex without 0x, no newline: the form of geth's `nodekey` file.
  const nodeKey = generatePrivateKey();
  writeFileSync(join(dir, "nodekey"), bytesToHex(nodeKey).slice(2), { mode: 0o600, flag: "wx" });
  const blsKeys: string[] = [];
  const keystores: string[] = [];
  for (let k = 0; k < keys; k++) {
    const ks = await encryptBLSKeystore(ctx.bls.keygen(), ctx.passphrase, { kdf: KDF_LIGHT, bls: ctx.bls, description: `devnet ${name} key ${k}` });
    const file = join(name, "keystore", `bls-${ks.pubkey}.json`);
    writeFileSync(join(tmp, file), `${JSON.stringify(ks, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    blsKeys.push(`0x${ks.pubkey}`);
    keystores.push(file);
  }
  ctx.operators.set(name, privateKeyToAddress(nodeKey));
  return { name, shardId, validator: keys > 0, blsKeys, keystores, nodeKeyFile: join(name, "nodekey") };
}

/** True when DIR may be wiped by `--fresh`: missing, empty, or holding a devnet. */
export function isWipeable(dir: string): boolean {
  if (!existsSync(dir)) return true;
  const entries = readdirSync(dir);
  return entries.length === 0 || entries.includes(LAYOUT_FILE) || entries.includes("devnet.json");
}

/**
 * Delete a devnet data dir for `--fresh`.
 * @throws {DevnetError} NOT_A_DEVNET_DIR when DIR holds other files (it is never deleted then).
 */
export function wipeDevnetDir(dir: string): void {
  if (!isWipeable(dir)) {
    throw new DevnetError({ code: DevnetErrorCode.NOT_A_DEVNET_DIR, dir }, `--fresh: ${dir} exists but holds no devnet (no ${LAYOUT_FILE}); refusing to delete it`);
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Write keys, genesis and layout of a new devnet into `opts.dataDir` (which must be missing or empty).
 * @throws {DevnetError} NOT_A_DEVNET_DIR when the directory holds other files.
 */
export async function createDevnetFiles(opts: DevnetShape, bls: BLS): Promise<DevnetLayout> {
  const dir = opts.dataDir;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new DevnetError({ code: DevnetErrorCode.NOT_A_DEVNET_DIR, dir }, `${dir} is not empty and holds no devnet (no ${LAYOUT_FILE}); delete it yourself or pass another --data-dir`);
  }
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = join(dirname(dir), `.${basename(dir)}.creating-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o700 });
  try {
    const passphrase = randomPassphrase();
    writeFileSync(join(tmp, PASSPHRASE_FILE), passphrase, { mode: 0o600, flag: "wx" });
    const nodes: DevnetLayoutNode[] = [];
    const operators = new Map<string, Uint8Array>();
    for (let s = 0; s < opts.shards; s++) {
      for (let v = 0; v < opts.validators; v++) nodes.push(await writeNode(tmp, `node${nodes.length}`, s, opts.keysPerNode, { bls, passphrase, operators }));
      for (let r = 0; r < opts.rpcNodes; r++) nodes.push(await writeNode(tmp, `node${nodes.length}`, s, 0, { bls, passphrase, operators }));
    }
    const config = devnetChainConfig(opts);
    const committees = Array.from({ length: config.shardCount }, (_, s) =>
      nodes.filter((n) => n.shardId === s && n.validator).flatMap((n) => n.blsKeys.map(hexToBytes)),
    );
    // Each validator node is a genesis validator staked from block 0, operated by its node key's address.
    const validators: GenesisValidator[] = nodes.filter((n) => n.validator).map((n) => ({
      address: operators.get(n.name) as Uint8Array,
      blsKeys: n.blsKeys.map(hexToBytes),
      stake: DEVNET_VALIDATOR_STAKE,
      commissionRate: TOKEN / 10n,
      maxCommissionRate: (TOKEN * 9n) / 10n,
      maxChangeRate: TOKEN / 20n,
      minSelfDelegation: config.staking.minSelfDelegation,
      maxTotalDelegation: DEVNET_VALIDATOR_STAKE * 100n,
      name: n.name,
    }));
    const genesis = { ...createDevGenesis({ config, committees }), validators };
    writeFileSync(join(tmp, GENESIS_FILE), `${JSON.stringify(genesisToJSON(genesis), null, 2)}\n`, { flag: "wx" });
    const layout: DevnetLayout = {
      version: 1,
      networkId: config.networkId,
      shards: opts.shards,
      validators: opts.validators,
      keysPerNode: opts.keysPerNode,
      rpcNodes: opts.rpcNodes,
      blockTimeMs: opts.blockTimeMs,
      epochBlocks: opts.epochBlocks,
      slots: opts.slots,
      nodes,
    };
    writeFileSync(join(tmp, LAYOUT_FILE), `${JSON.stringify(layout, null, 2)}\n`, { flag: "wx" });
    if (existsSync(dir)) rmdirSync(dir);
    renameSync(tmp, dir);
    return layout;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
