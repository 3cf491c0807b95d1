/**
 * `harmony keys new|list|import|export|pop`: encrypted keys in `<data-dir>/keystore/` — accounts as Web3
 * Secret Storage v3 files `UTC--<time>--<address>.json`, BLS keys as EIP-2335 files `bls-<pubkey>.json`.
 * Passphrase sources, in order: `--passphrase-file FILE` (first line), `HARMONY_PASSPHRASE`, a prompt on
 * the terminal; with none of them available the command is a usage error (exit 2).
 */
import { Option } from "commander";
import type { Command } from "commander";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readPassphrase } from "./_passphrase.ts";
import { type KeyEntry, accountEntry, keystoreDir, listKeys } from "./_keystoreFiles.ts";
import { registerCommand } from "./_registry.ts";
import { UsageError } from "./usageError.ts";
import { parseBLSBackend } from "./selftest.ts";
import { getRuntimeAdapter } from "../adapter/index.ts";
import {
  BLSError,
  KDF_LIGHT,
  KDF_STANDARD,
  createBLS,
  decryptAccountKeystore,
  decryptBLSKeystore,
  encryptAccountKeystore,
  encryptBLSKeystore,
  generatePrivateKey,
  getKeystoreKind,
  isValidPrivateKey,
  parseAnyAddress,
  privateKeyToAddress,
  toChecksumAddress,
} from "../crypto/index.ts";
import type { BLS, KdfOptions, KeystoreKind } from "../crypto/index.ts";
import { bytesToHex } from "../util/bytes.ts";

interface CommonOpts {
  dataDir: string;
  passphraseFile?: string;
  json?: boolean;
}

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;
const BLS_PUBKEY = /^(0x)?[0-9a-fA-F]{96}$/;

function kdfOf(opts: { lightKdf?: boolean }): KdfOptions {
  return opts.lightKdf ? KDF_LIGHT : KDF_STANDARD;
}

async function loadBLS(cmd: Command): Promise<BLS> {
  const wanted = parseBLSBackend(cmd.optsWithGlobals<{ blsBackend?: string }>().blsBackend);
  const adapter = await getRuntimeAdapter();
  return createBLS(wanted === "auto" ? adapter.defaultBLSBackend : wanted);
}

function print(entries: KeyEntry[], json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(entries.length === 1 ? entries[0] : entries)}\n`);
    return;
  }
  for (const e of entries) {
    const name = e.type === "account" ? `account ${e.id} (${e.bech32})` : `bls     ${e.id}`;
    process.stdout.write(`${name}\n        ${e.file}\n`);
  }
}

/** Write a new keystore file (never overwriting one); the directory is private to the user. */
async function saveKey(dir: string, kind: KeystoreKind, idHex: string, json: object): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const existing = (await listKeys(dir)).find((e) => e.type === kind && e.id.toLowerCase() === idHex.toLowerCase());
  if (existing) throw new Error(`${kind === "bls" ? "BLS key" : "account"} ${idHex} is already in the keystore: ${existing.file}`);
  const name = kind === "bls" ? `bls-${idHex}.json` : `UTC--${new Date().toISOString().replace(/:/g, "-")}--${idHex.slice(2).toLowerCase()}.json`;
  const file = join(dir, name);
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return file;
}

async function storeAccount(sk: Uint8Array, passphrase: string, opts: CommonOpts & { lightKdf?: boolean }): Promise<KeyEntry> {
  const ks = await encryptAccountKeystore(sk, passphrase, { kdf: kdfOf(opts) });
  const addr = toChecksumAddress(privateKeyToAddress(sk));
  return accountEntry(addr, await saveKey(keystoreDir(opts.dataDir), "account", addr, ks));
}

async function storeBLS(sk: Uint8Array, bls: BLS, passphrase: string, opts: CommonOpts & { lightKdf?: boolean }): Promise<KeyEntry> {
  const ks = await encryptBLSKeystore(sk, passphrase, { kdf: kdfOf(opts), bls });
  return { type: "bls", id: ks.pubkey, file: await saveKey(keystoreDir(opts.dataDir), "bls", ks.pubkey, ks) };
}

function parseType(v: string): KeystoreKind {
  if (v !== "bls" && v !== "account") throw new UsageError(`--type must be bls or account, got "${v}"`);
  return v;
}

function decodeHexKey(text: string, what: string): Uint8Array {
  const t = text.trim();
  if (!HEX_KEY.test(t)) throw new UsageError(`${what}: expected a 32-byte hex private key (64 hex digits, optional 0x)`);
  return new Uint8Array(Buffer.from(t.replace(/^0x/, ""), "hex"));
}

/** The key to import: hex on the command line, a file holding hex, or a keystore file (decrypted). */
async function readImport(arg: string, kind: KeystoreKind, opts: CommonOpts, bls: BLS | undefined): Promise<{ sk: Uint8Array; passphrase?: string }> {
  if (!existsSync(arg)) return { sk: decodeHexKey(arg, "key") };
  const text = (await readFile(arg, "utf8")).trim();
  if (!text.startsWith("{")) return { sk: decodeHexKey(text, arg) };
  const fileKind = getKeystoreKind(text);
  if (fileKind !== kind) throw new UsageError(`${arg} holds a ${fileKind === "bls" ? "BLS" : "account"} keystore, but --type is ${kind}`);
  const passphrase = await readPassphrase(opts, { prompt: `Passphrase of ${arg}: ` });
  const sk = kind === "bls" ? await decryptBLSKeystore(text, passphrase, bls ? { bls } : {}) : await decryptAccountKeystore(text, passphrase);
  return { sk, passphrase };
}

function addCommon(c: Command, withPassphrase = true): Command {
  c.option("--data-dir <dir>", "data directory; keys live in <dir>/keystore", "./data").option("--json", "print JSON instead of text");
  if (withPassphrase) c.option("--passphrase-file <file>", "read the passphrase from the first line of <file> (else $HARMONY_PASSPHRASE, else a prompt)");
  return c;
}

function typeOption(): Option {
  return new Option("--type <kind>", "key type").choices(["bls", "account"]).makeOptionMandatory();
}

registerCommand((program: Command) => {
  const keys = program.command("keys").description("create, list, import and export encrypted keys (accounts: Web3 v3, BLS: EIP-2335)");

  addCommon(keys.command("new").description("generate a key and store it encrypted").addOption(typeOption()))
    .option("--light-kdf", "cheap scrypt (n=2^12) for tests and throw-away keys")
    .action(async (opts: CommonOpts & { type: string; lightKdf?: boolean }, cmd: Command) => {
      const kind = parseType(opts.type);
      const bls = kind === "bls" ? await loadBLS(cmd) : undefined;
      const passphrase = await readPassphrase(opts, { prompt: "New passphrase: ", confirm: true });
      const entry = bls ? await storeBLS(bls.keygen(), bls, passphrase, opts) : await storeAccount(generatePrivateKey(), passphrase, opts);
      print([entry], opts.json);
    });

  addCommon(keys.command("list").description("list the keys in the keystore (no passphrase needed)"), false).action(async (opts: CommonOpts) => {
    const entries = await listKeys(keystoreDir(opts.dataDir));
    if (opts.json) process.stdout.write(`${JSON.stringify(entries)}\n`);
    else if (entries.length === 0) process.stdout.write(`no keys in ${keystoreDir(opts.dataDir)}\n`);
    else print(entries, false);
  });

  addCommon(
    keys
      .command("import")
      .description("import a private key: hex, a file holding hex, or a keystore file (prefer a file: arguments end up in shell history)")
      .addOption(typeOption())
      .argument("<key-or-file>", "hex private key, or a file with one, or a v3 / EIP-2335 keystore file"),
  )
    .option("--light-kdf", "cheap scrypt (n=2^12) for tests and throw-away keys")
    .action(async (arg: string, opts: CommonOpts & { type: string; lightKdf?: boolean }, cmd: Command) => {
      const kind = parseType(opts.type);
      const bls = kind === "bls" ? await loadBLS(cmd) : undefined;
      const imported = await readImport(arg, kind, opts, bls);
      const passphrase = imported.passphrase ?? (await readPassphrase(opts, { prompt: "New passphrase: ", confirm: true }));
      let entry: KeyEntry;
      if (bls) {
        try {
          bls.secretToPublic(imported.sk);
        } catch (e) {
          if (e instanceof BLSError) throw new UsageError("not a valid BLS secret key (zero, or not below the BLS12-381 group order)");
          throw e;
        }
        entry = await storeBLS(imported.sk, bls, passphrase, opts);
      } else {
        if (!isValidPrivateKey(imported.sk)) throw new UsageError("not a valid secp256k1 private key (zero or not below the curve order)");
        entry = await storeAccount(imported.sk, passphrase, opts);
      }
      print([entry], opts.json);
    });

  addCommon(
    keys
      .command("pop")
      .description("print a BLS key's proof of possession (createValidator's blsKeySigs; IETF BLS POP over the 48-byte key)")
      .argument("<keystore>", "an EIP-2335 keystore file, or a BLS public key (96 hex digits) in <data-dir>/keystore"),
  ).action(async (arg: string, opts: CommonOpts, cmd: Command) => {
    let file = arg;
    if (!existsSync(arg)) {
      if (!BLS_PUBKEY.test(arg)) throw new UsageError(`"${arg}" is neither a keystore file nor a BLS public key (96 hex digits)`);
      const want = arg.replace(/^0x/, "").toLowerCase();
      const entry = (await listKeys(keystoreDir(opts.dataDir))).find((e) => e.type === "bls" && e.id.toLowerCase() === want);
      if (!entry) throw new UsageError(`no BLS key ${arg} in ${keystoreDir(opts.dataDir)}`);
      file = entry.file;
    }
    const text = await readFile(file, "utf8");
    if (getKeystoreKind(text) !== "bls") throw new UsageError(`${file} is not a BLS (EIP-2335) keystore`);
    const passphrase = await readPassphrase(opts, { prompt: `Passphrase of ${file}: ` });
    const bls = await loadBLS(cmd);
    const sk = await decryptBLSKeystore(text, passphrase, { bls });
    const out = { publicKey: bytesToHex(bls.secretToPublic(sk)), proof: bytesToHex(bls.popProve(sk)) };
    process.stdout.write(opts.json ? `${JSON.stringify(out)}\n` : `public key ${out.publicKey}\nproof      ${out.proof}\n`);
  });

  addCommon(
    keys
      .command("export")
      .description("write a key's encrypted keystore file, or with --show-secret print its decrypted private key")
      .argument("<id>", "account address (0x… or one1…) or BLS public key (96 hex digits)"),
  )
    .option("--out <file>", "write to <file> (created, never overwritten) instead of stdout")
    .option("--show-secret", "decrypt and output the private key in hex (handle with care)")
    .action(async (id: string, opts: CommonOpts & { out?: string; showSecret?: boolean }, cmd: Command) => {
      const dir = keystoreDir(opts.dataDir);
      let kind: KeystoreKind;
      let want: string;
      if (BLS_PUBKEY.test(id)) {
        kind = "bls";
        want = id.replace(/^0x/, "").toLowerCase();
      } else {
        kind = "account";
        try {
          want = toChecksumAddress(parseAnyAddress(id)).toLowerCase();
        } catch (e) {
          throw new UsageError(`"${id}" is neither an address (0x… / one1…) nor a BLS public key (96 hex digits): ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const entry = (await listKeys(dir)).find((e) => e.type === kind && e.id.toLowerCase() === want);
      if (!entry) throw new Error(`no ${kind === "bls" ? "BLS key" : "account"} ${id} in ${dir}`);
      const text = await readFile(entry.file, "utf8");
      let output = text.endsWith("\n") ? text : `${text}\n`;
      if (opts.showSecret) {
        const passphrase = await readPassphrase(opts, { prompt: "Passphrase: " });
        const sk = kind === "bls" ? await decryptBLSKeystore(text, passphrase, { bls: await loadBLS(cmd) }) : await decryptAccountKeystore(text, passphrase);
        output = `${bytesToHex(sk)}\n`;
      }
      if (opts.out) {
        await writeFile(resolve(opts.out), output, { mode: 0o600, flag: "wx" });
        process.stderr.write(`wrote ${resolve(opts.out)}\n`);
      } else process.stdout.write(output);
    });
});
