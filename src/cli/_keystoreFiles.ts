/**
 * The keystore folder of a data dir (`<data-dir>/keystore/`): account files (Web3 v3) and BLS files
 * (EIP-2335), listed without decrypting them.
 */
import { existsSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { addressToBech32, getKeystoreKind, parseAccountKeystore, parseBLSKeystore, toChecksumAddress } from "../crypto/index.ts";
import type { KeystoreKind } from "../crypto/index.ts";

/** One key in the keystore, as printed by every subcommand. */
export interface KeyEntry {
  type: KeystoreKind;
  /** Account: EIP-55 `0x…` address; BLS: 48-byte public key, hex without `0x` (as in the file). */
  id: string;
  /** Account only: the `one1…` form. */
  bech32?: string;
  file: string;
}

/** `<data-dir>/keystore`. */
export function keystoreDir(dataDir: string): string {
  return join(resolve(dataDir), "keystore");
}

/** The entry of an account keystore file. */
export function accountEntry(addressHex: string, file: string): KeyEntry {
  const addr = toChecksumAddress(`0x${addressHex.replace(/^0x/, "").toLowerCase()}`);
  return { type: "account", id: addr, bech32: addressToBech32(addr), file };
}

/** Every parseable keystore in the directory; unreadable files are reported on stderr and skipped. */
export async function listKeys(dir: string): Promise<KeyEntry[]> {
  if (!existsSync(dir)) return [];
  const out: KeyEntry[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const file = join(dir, name);
    if (!name.endsWith(".json") || !statSync(file).isFile()) continue;
    try {
      const text = await readFile(file, "utf8");
      if (getKeystoreKind(text) === "bls") out.push({ type: "bls", id: parseBLSKeystore(text).pubkey, file });
      else {
        const ks = parseAccountKeystore(text);
        if (ks.address === undefined) throw new Error("no address field");
        out.push(accountEntry(ks.address, file));
      }
    } catch (e) {
      process.stderr.write(`warning: skipping ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  return out;
}
