/**
 * `harmony staking create-validator | edit-validator | delegate | undelegate | collect-rewards`: calls to
 * the staking contract at 0x…fc (DESIGN §Staking), signed with an account keystore and sent to
 * `--rpc URL`; prints the transaction hash and waits for the receipt. Amounts are in tokens ("100",
 * "0.5"), rates are fractions ("0.1" = 10%). BLS keys are named by their EIP-2335 keystore (or public
 * key in the data dir's keystore); their proofs of possession are made here. `harmony staking info`
 * reads the network's and a validator's staking figures (see _stakingInfo.ts).
 */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type BLS, createBLS, decryptBLSKeystore, getKeystoreKind, parseAnyAddress, privateKeyToAddress } from "../crypto/index.ts";
import { STAKING_ABI, STAKING_ADDRESS_BYTES, STAKING_FUNCTIONS, UNCHANGED, encodeAbiParameters, functionSelector, functionSignature } from "../staking/index.ts";
import type { AbiValue, StakingFunctionName } from "../staking/index.ts";
import { keystoreDir, listKeys } from "./_keystoreFiles.ts";
import { parseDecimal18, parseIntFlag } from "./_parse.ts";
import { readPassphrase } from "./_passphrase.ts";
import { registerCommand } from "./_registry.ts";
import { type SenderOptions, loadAccountKey, sendCall } from "./_stakingClient.ts";
import { addStakingInfoCommand } from "./_stakingInfo.ts";
import { UsageError } from "./usageError.ts";

type Opts = SenderOptions & { json?: boolean } & Record<string, string | string[] | boolean | number | undefined>;

function calldata(name: StakingFunctionName, args: AbiValue[]): Uint8Array {
  const f = STAKING_ABI.find((x) => x.name === name);
  const fn = f === undefined ? undefined : STAKING_FUNCTIONS.get(functionSelector(functionSignature(f)));
  if (fn === undefined) throw new Error(`staking ABI has no ${name}`); // broken invariant
  const body = encodeAbiParameters(fn.inputs, args);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, fn.selector);
  out.set(body, 4);
  return out;
}

function address(flag: string, v: string | undefined): Uint8Array {
  if (v === undefined) throw new UsageError(`${flag} is required`);
  try {
    return parseAnyAddress(v);
  } catch (e) {
    throw new UsageError(`${flag}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A BLS key and its proof of possession, from a keystore file or a public key in the data dir's keystore. */
async function blsKeyWithProof(arg: string, opts: Opts, bls: BLS): Promise<{ key: Uint8Array; proof: Uint8Array }> {
  let file = arg;
  if (!existsSync(arg)) {
    const want = arg.replace(/^0x/, "").toLowerCase();
    const entry = (await listKeys(keystoreDir(opts.dataDir))).find((e) => e.type === "bls" && e.id.toLowerCase() === want);
    if (!entry) throw new UsageError(`BLS key "${arg}": no such keystore file, and not in ${keystoreDir(opts.dataDir)}`);
    file = entry.file;
  }
  const text = await readFile(file, "utf8");
  if (getKeystoreKind(text) !== "bls") throw new UsageError(`${file} is not a BLS (EIP-2335) keystore`);
  const sk = await decryptBLSKeystore(text, await readPassphrase(opts, { prompt: `Passphrase of ${file}: ` }), { bls });
  return { key: bls.secretToPublic(sk), proof: bls.popProve(sk) };
}

function description(o: Opts): AbiValue[] {
  const s = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : "");
  return [s("name"), s("identity"), s("website"), s("securityContact"), s("details")];
}

async function send(o: Opts, name: StakingFunctionName, args: (sender: Uint8Array) => Promise<AbiValue[]> | AbiValue[], value = 0n): Promise<void> {
  const sk = await loadAccountKey(o);
  const sent = await sendCall(o, sk, STAKING_ADDRESS_BYTES, calldata(name, await args(privateKeyToAddress(sk))), value);
  const line = { ...sent, gasUsed: sent.gasUsed?.toString() };
  process.stdout.write(o.json ? `${JSON.stringify(line)}\n` : `${name} ${sent.hash}${sent.status ? ` ${sent.status} in block ${sent.blockNumber}` : ""}\n`);
  if (sent.status === "reverted") process.exitCode = 1;
}

function common(c: Command): Command {
  return c
    .requiredOption("--rpc <url>", "JSON-RPC URL of a beacon (shard 0) node")
    .requiredOption("--from <keystore-or-address>", "account keystore file, or an address in <data-dir>/keystore")
    .option("--data-dir <dir>", "data directory holding keystore/", "./data")
    .option("--passphrase-file <file>", "passphrase source (else $HARMONY_PASSPHRASE, else a prompt); also used for BLS keystores")
    .option("--wait <seconds>", "how long to wait for the receipt (0: do not wait)", "60")
    .option("--json", "print JSON");
}

function describe(c: Command): Command {
  return c
    .option("--name <text>", "validator name")
    .option("--identity <text>", "identity")
    .option("--website <url>", "website")
    .option("--security-contact <text>", "security contact")
    .option("--details <text>", "details");
}

const withWait = (o: Opts): Opts => ({ ...o, wait: parseIntFlag("--wait", String(o.wait), 0, 3600) });

registerCommand((program: Command) => {
  const staking = program.command("staking").description("create and edit validators, delegate, undelegate and collect rewards (staking contract 0x…fc); info");

  describe(common(staking.command("create-validator").description("create a validator self-staked with --amount")))
    .requiredOption("--amount <tokens>", "self-stake")
    .requiredOption("--bls-key <keystore-or-pubkey...>", "BLS keys (EIP-2335 keystore files or public keys in the keystore)")
    .requiredOption("--rate <fraction>", "commission rate, e.g. 0.1")
    .requiredOption("--max-rate <fraction>", "maximum commission rate")
    .requiredOption("--max-change-rate <fraction>", "largest rate change per epoch")
    .requiredOption("--min-self-delegation <tokens>", "minimum self-delegation")
    .requiredOption("--max-total-delegation <tokens>", "maximum total delegation")
    .action(async (raw: Opts) => {
      const o = withWait(raw);
      const bls = await createBLS();
      const keys: { key: Uint8Array; proof: Uint8Array }[] = [];
      for (const k of o.blsKey as string[]) keys.push(await blsKeyWithProof(k, o, bls));
      await send(o, "createValidator", () => [
        description(o),
        [parseDecimal18("--rate", o.rate as string), parseDecimal18("--max-rate", o.maxRate as string), parseDecimal18("--max-change-rate", o.maxChangeRate as string)],
        parseDecimal18("--min-self-delegation", o.minSelfDelegation as string),
        parseDecimal18("--max-total-delegation", o.maxTotalDelegation as string),
        keys.map((k) => k.key),
        keys.map((k) => k.proof),
      ], parseDecimal18("--amount", o.amount as string));
    });

  describe(common(staking.command("edit-validator").description("edit the caller's validator (only the options given change)")))
    .option("--rate <fraction>", "new commission rate")
    .option("--min-self-delegation <tokens>", "new minimum self-delegation")
    .option("--max-total-delegation <tokens>", "new maximum total delegation")
    .option("--add-bls-key <keystore-or-pubkey>", "add a BLS key")
    .option("--remove-bls-key <pubkey>", "remove a BLS key (96 hex digits)")
    .option("--active", "re-activate (e.g. after being voted out for low availability)")
    .option("--inactive", "stop being elected")
    .action(async (raw: Opts) => {
      const o = withWait(raw);
      if (o.active && o.inactive) throw new UsageError("--active and --inactive exclude each other");
      const add = typeof o.addBlsKey === "string" ? await blsKeyWithProof(o.addBlsKey, o, await createBLS()) : undefined;
      const remove = typeof o.removeBlsKey === "string" ? o.removeBlsKey.replace(/^0x/, "") : "";
      if (remove !== "" && !/^[0-9a-fA-F]{96}$/.test(remove)) throw new UsageError("--remove-bls-key must be a BLS public key (96 hex digits)");
      const num = (flag: string, v: unknown) => (typeof v === "string" ? parseDecimal18(flag, v) : UNCHANGED);
      await send(o, "editValidator", () => [
        description(o),
        num("--rate", o.rate),
        num("--min-self-delegation", o.minSelfDelegation),
        num("--max-total-delegation", o.maxTotalDelegation),
        Uint8Array.from(Buffer.from(remove, "hex")),
        add?.key ?? new Uint8Array(0),
        add?.proof ?? new Uint8Array(0),
        o.active ? 1n : o.inactive ? 2n : 0n,
      ]);
    });

  for (const [cmd, fn, what] of [["delegate", "Delegate", "delegate --amount to --validator"], ["undelegate", "Undelegate", "undelegate --amount from --validator (returned after the lock)"]] as const) {
    common(staking.command(cmd).description(what))
      .requiredOption("--validator <address>", "validator address (0x… or one1…)")
      .requiredOption("--amount <tokens>", "amount")
      .action(async (raw: Opts) => {
        const o = withWait(raw);
        const validator = address("--validator", o.validator as string);
        const amount = parseDecimal18("--amount", o.amount as string);
        await send(o, fn, (sender) => [sender, validator, amount]);
      });
  }

  common(staking.command("collect-rewards").description("collect the caller's rewards from every validator")).action(async (raw: Opts) => {
    await send(withWait(raw), "CollectRewards", (sender) => [sender]);
  });

  addStakingInfoCommand(staking);
});

