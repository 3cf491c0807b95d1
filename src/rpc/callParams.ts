/**
 * Parameters of eth_call / eth_estimateGas: the call object and geth's state override set.
 * @module
 */
import type { RpcAccountOverride, RpcCallRequest } from "./backend.ts";
import { toData } from "./hex.ts";
import { ParamError, field, parseAddress, parseData, parseHash, parseQuantity, parseSlot } from "./params.ts";

/** A parsed call object: the message plus the gas limit the caller asked for. */
export interface ParsedCall {
  request: RpcCallRequest;
  gas?: bigint;
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ParamError(`expected ${what} object`);
  return v as Record<string, unknown>;
}

function parseAccessList(v: unknown): NonNullable<RpcCallRequest["accessList"]> {
  if (!Array.isArray(v)) throw new ParamError("expected array");
  return v.map((item, i) => {
    const o = asObject(item, `accessList[${i}]`);
    const keys = o.storageKeys ?? [];
    if (!Array.isArray(keys)) throw new ParamError(`accessList[${i}].storageKeys: expected array`);
    return {
      address: field(`accessList[${i}].address`, o.address, parseAddress),
      storageKeys: keys.map((k, j) => field(`accessList[${i}].storageKeys[${j}]`, k, parseHash)),
    };
  });
}

/**
 * Parse a call object (`from`, `to`, `gas`, fees, `value`, `data`/`input`, `nonce`, `accessList`).
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseCallObject(v: unknown): ParsedCall {
  const o = asObject(v, "call");
  const request: RpcCallRequest = {};
  const q = (name: string) => (o[name] === undefined || o[name] === null ? undefined : field(name, o[name], parseQuantity));
  if (o.from !== undefined && o.from !== null) request.from = field("from", o.from, parseAddress);
  request.to = o.to === undefined || o.to === null ? null : field("to", o.to, parseAddress);
  const gas = q("gas");
  const gasPrice = q("gasPrice");
  const maxFee = q("maxFeePerGas");
  const maxPriority = q("maxPriorityFeePerGas");
  const value = q("value");
  const nonce = q("nonce");
  if (o.chainId !== undefined && o.chainId !== null) field("chainId", o.chainId, parseQuantity);
  if (o.type !== undefined && o.type !== null) field("type", o.type, parseQuantity);
  if (gasPrice !== undefined && (maxFee !== undefined || maxPriority !== undefined)) {
    throw new ParamError("both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
  }
  if (maxFee !== undefined && maxPriority !== undefined && maxFee < maxPriority) {
    throw new ParamError(`maxFeePerGas (${maxFee}) < maxPriorityFeePerGas (${maxPriority})`);
  }
  const data = o.data === undefined || o.data === null ? undefined : field("data", o.data, parseData);
  const input = o.input === undefined || o.input === null ? undefined : field("input", o.input, parseData);
  if (data !== undefined && input !== undefined && toData(data) !== toData(input)) {
    throw new ParamError('both "data" and "input" are set and not equal. Please use "input" to pass transaction call data');
  }
  const callData = input ?? data;
  if (gasPrice !== undefined) request.gasPrice = gasPrice;
  if (maxFee !== undefined) request.maxFeePerGas = maxFee;
  if (maxPriority !== undefined) request.maxPriorityFeePerGas = maxPriority;
  if (value !== undefined) request.value = value;
  if (nonce !== undefined) request.nonce = nonce;
  if (callData !== undefined) request.data = callData;
  if (o.accessList !== undefined && o.accessList !== null) request.accessList = field("accessList", o.accessList, parseAccessList);
  return gas === undefined ? { request } : { request, gas };
}

function parseSlots(v: unknown): [Uint8Array, Uint8Array][] {
  const o = asObject(v, "storage");
  return Object.entries(o).map(([k, val]) => [field(`key ${k}`, k, parseSlot), field(`value of ${k}`, val, parseHash)]);
}

/**
 * Parse a state override set `{ [address]: { balance, nonce, code, state | stateDiff } }`.
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseStateOverrides(v: unknown): RpcAccountOverride[] {
  const set = asObject(v, "state override");
  const out: RpcAccountOverride[] = [];
  const seen = new Set<string>();
  for (const [addr, raw] of Object.entries(set)) {
    const address = field("override address", addr, parseAddress);
    if (seen.has(toData(address))) throw new ParamError(`account ${addr} is overridden twice`);
    seen.add(toData(address));
    const o = field(addr, raw, (x) => asObject(x, "account override"));
    const ov: RpcAccountOverride = { address };
    const known = new Set(["balance", "nonce", "code", "state", "stateDiff"]);
    for (const k of Object.keys(o)) if (!known.has(k)) throw new ParamError(`${addr}: unsupported override field "${k}"`);
    if (o.balance !== undefined && o.balance !== null) ov.balance = field(`${addr}.balance`, o.balance, parseQuantity);
    if (o.nonce !== undefined && o.nonce !== null) ov.nonce = field(`${addr}.nonce`, o.nonce, parseQuantity);
    if (o.code !== undefined && o.code !== null) ov.code = field(`${addr}.code`, o.code, parseData);
    const hasState = o.state !== undefined && o.state !== null;
    const hasDiff = o.stateDiff !== undefined && o.stateDiff !== null;
    if (hasState && hasDiff) throw new ParamError(`account ${addr} has both 'state' and 'stateDiff'`);
    if (hasState) ov.state = field(`${addr}.state`, o.state, parseSlots);
    if (hasDiff) ov.stateDiff = field(`${addr}.stateDiff`, o.stateDiff, parseSlots);
    out.push(ov);
  }
  return out;
}
