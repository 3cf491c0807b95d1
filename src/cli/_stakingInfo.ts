/**
 * `harmony staking info --rpc URL [--validator ADDR] [--json]`: the network's staking figures (epoch,
 * median raw stake, total staking, supply, elected validators) or one validator's record and standing,
 * read from a beacon node's hmy_ staking methods. `--json` prints the figures with exact amounts.
 */
import { parseRpcUrl } from "./_parse.ts";
import type { Command } from "commander";
import { parseAnyAddress, toChecksumAddress } from "../crypto/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import { rpcCallExact, stringifyJSONExact } from "./_stakingClient.ts";
import { UsageError } from "./usageError.ts";

const WEI = 10n ** 18n;

/** Wei as tokens ("150", "20.5"). */
export function formatTokens(wei: bigint): string {
  const neg = wei < 0n;
  const a = neg ? -wei : wei;
  const frac = (a % WEI).toString().padStart(18, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${a / WEI}${frac === "" ? "" : `.${frac}`}`;
}

/** An 18-decimal string (Harmony's numeric.Dec) scaled by 1e18, or undefined when it is not one. */
function decToScaled(v: unknown): bigint | undefined {
  const m = typeof v === "string" ? /^(-?)(\d+)\.(\d{18})$/.exec(v) : null;
  if (!m) return undefined;
  const scaled = BigInt(m[2] as string) * WEI + BigInt(m[3] as string);
  return m[1] === "-" ? -scaled : scaled;
}

const int = (v: unknown): bigint | undefined => (typeof v === "bigint" ? v : typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : undefined);
/** A Harmony amount (exact integer wei, or wei as an 18-decimal string) as tokens. */
const tokens = (v: unknown): string => {
  const wei = int(v) ?? (decToScaled(v) === undefined ? undefined : (decToScaled(v) as bigint) / WEI);
  return wei === undefined ? String(v) : `${formatTokens(wei)} tokens`;
};
/** A token count with 18 decimals (the supply methods' shape) as tokens. */
const supply = (v: unknown): string => {
  const s = decToScaled(v);
  return s === undefined ? String(v) : `${formatTokens(s)} tokens`;
};
/** An 18-decimal fraction as a percentage. */
const percent = (v: unknown): string => {
  const s = decToScaled(v);
  return s === undefined ? String(v) : `${formatTokens(s * 100n)}%`;
};

/** The network's staking figures, from the node at `rpc`. */
async function networkInfo(rpc: string): Promise<Record<string, unknown>> {
  const [epoch, net, elected] = await Promise.all([
    rpcCallExact(rpc, "hmy_getEpoch"),
    rpcCallExact(rpc, "hmy_getStakingNetworkInfo") as Promise<Record<string, unknown>>,
    rpcCallExact(rpc, "hmy_getElectedValidatorAddresses") as Promise<string[]>,
  ]);
  if (typeof epoch !== "string" || !/^0x[0-9a-f]+$/i.test(epoch)) throw new Error(`hmy_getEpoch: not a quantity: ${String(epoch)}`);
  return { epoch: Number.parseInt(epoch, 16), ...net, "elected-validators": elected };
}

function networkText(n: Record<string, unknown>): string {
  const elected = (n["elected-validators"] as string[]) ?? [];
  return [
    `epoch               ${n.epoch} (last block ${n["epoch-last-block"]})`,
    `median raw stake    ${tokens(n["median-raw-stake"])}`,
    `total staking       ${tokens(n["total-staking"])}`,
    `total supply        ${supply(n["total-supply"])}`,
    `elected validators  ${elected.length}`,
    ...elected.map((a) => `  ${a}`),
  ].join("\n");
}

function validatorText(info: Record<string, unknown>): string {
  const v = (info.validator ?? {}) as Record<string, unknown>;
  const delegations = (v.delegations as { "delegator-address": string; amount: unknown }[] | undefined) ?? [];
  const self = delegations.find((d) => d["delegator-address"] === v.address);
  const perf = (info["current-epoch-performance"] as Record<string, Record<string, unknown>> | null)?.["current-epoch-signing-percent"];
  const life = (info.lifetime ?? {}) as { "reward-accumulated"?: unknown; blocks?: { "to-sign"?: unknown; signed?: unknown } };
  return [
    `validator           ${v.address}${v.name ? ` "${v.name}"` : ""}`,
    `status              ${info["active-status"]}; ${info["epos-status"]}`,
    `total delegation    ${tokens(info["total-delegation"])} (self ${self === undefined ? "none" : tokens(self.amount)}, ${delegations.length} delegation${delegations.length === 1 ? "" : "s"})`,
    `commission          ${percent(v.rate)} (max ${percent(v["max-rate"])}, change ≤ ${percent(v["max-change-rate"])} per epoch)`,
    `min self-delegation ${tokens(v["min-self-delegation"])}`,
    `bls keys            ${((v["bls-public-keys"] as string[]) ?? []).join(", ")}`,
    ...(info["epos-winning-stake"] ? [`winning stake       ${tokens(info["epos-winning-stake"])}`] : []),
    ...(perf ? [`this epoch          signed ${perf["current-epoch-signed"]} of ${perf["current-epoch-to-sign"]}`] : []),
    `lifetime            rewards ${tokens(life["reward-accumulated"])}, signed ${life.blocks?.signed} of ${life.blocks?.["to-sign"]} blocks`,
  ].join("\n");
}


/** Add `info` to the `staking` command group. */
export function addStakingInfoCommand(staking: Command): void {
  staking
    .command("info")
    .description("print the network's staking info (epoch, median raw stake, total staking, elected validators), or with --validator one validator's")
    .requiredOption("--rpc <url>", "JSON-RPC URL of a beacon (shard 0) node")
    .option("--validator <address>", "a validator address (0x… or one1…)")
    .option("--json", "print JSON (amounts as exact numbers)")
    .action(async (o: { rpc: string; validator?: string; json?: boolean }) => {
      const rpc = parseRpcUrl(o.rpc);
      let validator: string | undefined;
      if (o.validator !== undefined) {
        try {
          validator = toChecksumAddress(bytesToHex(parseAnyAddress(o.validator)));
        } catch (e) {
          throw new UsageError(`--validator: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const out = validator === undefined ? await networkInfo(rpc) : ((await rpcCallExact(rpc, "hmy_getValidatorInformation", [validator])) as Record<string, unknown>);
      process.stdout.write(`${o.json ? stringifyJSONExact(out) : validator === undefined ? networkText(out) : validatorText(out)}\n`);
    });
}
