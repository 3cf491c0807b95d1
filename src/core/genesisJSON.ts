/**
 * The genesis file (JSON): `{config, timestamp, extraData, alloc, shardAllocs?, committees,
 * validators?}` — amounts in wei (number, decimal or 0x string), bytes as 0x hex, rates 1e18 = 100%.
 * Parsing is strict: a malformed field is a TypeError/RangeError naming it (STYLE §10).
 * @module
 */
import { asBytes } from "./_codec.ts";
import { chainConfigFromJSON } from "./chainConfig.ts";
import { BLS_PUBLIC_KEY_BYTES, type GenesisAccount, type GenesisAlloc, type GenesisSpec, type GenesisValidator, encodeGenesisAlloc } from "./genesis.ts";

function hexBytes(s: unknown, len: number | undefined, what: string): Uint8Array {
  if (typeof s !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(s)) throw new TypeError(`genesis: ${what} must be 0x-prefixed even-length hex`);
  const b = new Uint8Array((s.length - 2) / 2);
  for (let i = 0; i < b.length; i++) b[i] = Number.parseInt(s.slice(2 + 2 * i, 4 + 2 * i), 16);
  return len === undefined ? b : asLen(b, len, what);
}

function asLen(b: Uint8Array, len: number, what: string): Uint8Array {
  try {
    return asBytes(b, what, len);
  } catch {
    throw new RangeError(`genesis: ${what} must be ${len} bytes, got ${b.length}`);
  }
}

function quantity(v: unknown, what: string): bigint {
  if (typeof v === "string" && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) return BigInt(v);
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new TypeError(`genesis: ${what} must be a non-negative integer (number, decimal or 0x string)`);
}

function hex(b: Uint8Array): string {
  let s = "0x";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `{addr: {balance, nonce?, code?, storage?: {key: value}}}` → an alloc in file order. */
function parseAlloc(json: unknown, what: string): GenesisAlloc {
  if (!isObject(json)) throw new TypeError(`genesis: ${what} must be an object of address → account`);
  return Object.entries(json).map(([addr, a]) => {
    if (!isObject(a)) throw new TypeError(`genesis: ${what} ${addr} must be an object`);
    const acct: GenesisAccount = { balance: quantity(a.balance ?? "0", `${what} ${addr} balance`) };
    if (a.nonce !== undefined) acct.nonce = quantity(a.nonce, `${what} ${addr} nonce`);
    if (a.code !== undefined) acct.code = hexBytes(a.code, undefined, `${what} ${addr} code`);
    if (a.storage !== undefined) {
      if (!isObject(a.storage)) throw new TypeError(`genesis: ${what} ${addr} storage must be an object of key → value`);
      acct.storage = Object.entries(a.storage).map(([k, v]) => [hexBytes(k, 32, "storage key"), hexBytes(v, 32, "storage value")]);
    }
    return [hexBytes(addr, 20, `${what} address`), acct];
  });
}

const sameAlloc = (a: GenesisAlloc, b: GenesisAlloc) => hex(encodeGenesisAlloc(a)) === hex(encodeGenesisAlloc(b));

/**
 * `alloc` and `shardAllocs`: with `shardAllocs` (one alloc per shard), `alloc` may be left out and
 * is then `shardAllocs[0]`; given both, they must agree on shard 0.
 */
function parseAllocs(j: Record<string, unknown>, shardCount: number): Pick<GenesisSpec, "alloc" | "shardAllocs"> {
  if (j.shardAllocs === undefined) return { alloc: parseAlloc(j.alloc ?? {}, "alloc") };
  if (!Array.isArray(j.shardAllocs)) throw new TypeError("genesis: shardAllocs must be an array with one alloc per shard");
  if (j.shardAllocs.length !== shardCount) throw new RangeError(`genesis: shardAllocs lists ${j.shardAllocs.length} allocs, the config has ${shardCount} shards`);
  const shardAllocs = j.shardAllocs.map((a, s) => parseAlloc(a, `shardAllocs[${s}]`));
  const first = shardAllocs[0] as GenesisAlloc;
  if (j.alloc !== undefined && !sameAlloc(parseAlloc(j.alloc, "alloc"), first)) {
    throw new RangeError("genesis: alloc (the beacon shard's) differs from shardAllocs[0]; give the same accounts or leave alloc out");
  }
  return { alloc: first, shardAllocs };
}

/**
 * Parse a genesis JSON document: `{config, timestamp, extraData, alloc: {addr: {balance, nonce?,
 * code?, storage?}}, shardAllocs?: [alloc per shard], committees: [[blsKeyHex…] per shard], validators?:
 * [{address, blsKeys, stake, commissionRate, maxCommissionRate, maxChangeRate, minSelfDelegation,
 * maxTotalDelegation, name}]}`.
 * @throws {TypeError|RangeError} on a malformed field.
 */
export function parseGenesisJSON(json: unknown): GenesisSpec {
  if (!isObject(json)) throw new TypeError("genesis: expected an object");
  const j = json;
  const config = chainConfigFromJSON(j.config ?? {});
  const allocs = parseAllocs(j, config.shardCount);
  const cj = j.committees ?? [];
  if (!Array.isArray(cj)) throw new TypeError("genesis: committees must be an array per shard");
  const committees = Array.from({ length: config.shardCount }, (_, s) => {
    const keys: unknown = cj[s] ?? [];
    if (!Array.isArray(keys)) throw new TypeError(`genesis: committees[${s}] must be an array`);
    return keys.map((k) => hexBytes(k, BLS_PUBLIC_KEY_BYTES, `committees[${s}] key`));
  });
  const vj = j.validators ?? [];
  if (!Array.isArray(vj)) throw new TypeError("genesis: validators must be an array");
  const validators = vj.map((raw, i) => parseGenesisValidator(raw, i));
  return {
    config,
    timestamp: quantity(j.timestamp ?? 0, "timestamp"),
    extraData: j.extraData === undefined ? new Uint8Array(0) : hexBytes(j.extraData, undefined, "extraData"),
    ...allocs,
    committees,
    ...(validators.length > 0 ? { validators } : {}),
  };
}

function parseGenesisValidator(raw: unknown, i: number): GenesisValidator {
  if (typeof raw !== "object" || raw === null) throw new TypeError(`genesis: validators[${i}] must be an object`);
  const v = raw as Record<string, unknown>;
  const keys = v.blsKeys;
  if (!Array.isArray(keys) || keys.length === 0) throw new TypeError(`genesis: validators[${i}].blsKeys must be a non-empty array`);
  const q = (k: string) => quantity(v[k], `validators[${i}].${k}`);
  if (v.name !== undefined && typeof v.name !== "string") throw new TypeError(`genesis: validators[${i}].name must be a string`);
  return {
    address: hexBytes(v.address, 20, `validators[${i}].address`),
    blsKeys: keys.map((k) => hexBytes(k, BLS_PUBLIC_KEY_BYTES, `validators[${i}] key`)),
    stake: q("stake"),
    commissionRate: q("commissionRate"),
    maxCommissionRate: q("maxCommissionRate"),
    maxChangeRate: q("maxChangeRate"),
    minSelfDelegation: q("minSelfDelegation"),
    maxTotalDelegation: q("maxTotalDelegation"),
    name: typeof v.name === "string" ? v.name : "",
  };
}

/** The JSON document of a genesis (inverse of {@link parseGenesisJSON}). */
export function genesisToJSON(spec: GenesisSpec): Record<string, unknown> {
  return {
    config: spec.config.toJSON(),
    timestamp: `0x${spec.timestamp.toString(16)}`,
    extraData: hex(spec.extraData),
    alloc: allocToJSON(spec.alloc),
    ...(spec.shardAllocs === undefined ? {} : { shardAllocs: spec.shardAllocs.map(allocToJSON) }),
    committees: spec.committees.map((keys) => keys.map(hex)),
    ...(spec.validators && spec.validators.length > 0
      ? {
          validators: spec.validators.map((v) => ({
            address: hex(v.address),
            blsKeys: v.blsKeys.map(hex),
            stake: v.stake.toString(),
            commissionRate: v.commissionRate.toString(),
            maxCommissionRate: v.maxCommissionRate.toString(),
            maxChangeRate: v.maxChangeRate.toString(),
            minSelfDelegation: v.minSelfDelegation.toString(),
            maxTotalDelegation: v.maxTotalDelegation.toString(),
            name: v.name,
          })),
        }
      : {}),
  };
}

function allocToJSON(alloc: GenesisAlloc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [addr, a] of alloc) {
    const o: Record<string, unknown> = { balance: `0x${a.balance.toString(16)}` };
    if (a.nonce !== undefined) o.nonce = `0x${a.nonce.toString(16)}`;
    if (a.code !== undefined) o.code = hex(a.code);
    if (a.storage !== undefined) o.storage = Object.fromEntries(a.storage.map(([k, v]) => [hex(k), hex(v)]));
    out[hex(addr)] = o;
  }
  return out;
}
