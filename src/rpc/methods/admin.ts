/**
 * The `admin_` namespace: node identity, peers and the operator blocklist. It exists only when the
 * node runs with `--rpc-admin`, and even then answers only clients on a loopback address; to anyone
 * else the methods do not exist (-32601 with geth's wording), so a scan learns nothing from them.
 * @module
 */
import type { RpcAdminBackend } from "../backend.ts";
import type { MethodContext, MethodHandler } from "../context.ts";
import { RpcErrorCode, invalidArgument, rpcError } from "../errors.ts";

/** Names of the namespace's methods. */
export const ADMIN_METHOD_NAMES = ["admin_nodeInfo", "admin_peers", "admin_blockPeer", "admin_unblockPeer", "admin_blockedPeers"] as const;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * True for a loopback client address: 127.0.0.0/8, ::1, and those written as IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`) or with brackets. Anything else, including "unknown", is false.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (typeof address !== "string") return false;
  let a = address.trim().toLowerCase();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  if (a.startsWith("::ffff:")) a = a.slice(7);
  const v4 = IPV4.exec(a);
  if (v4) return v4.slice(1).every((x) => Number(x) <= 255) && v4[1] === "127";
  if (!/^[0-9a-f:]+$/.test(a) || !a.includes(":")) return false;
  return expandIPv6(a) === "0000:0000:0000:0000:0000:0000:0000:0001";
}

// The eight groups of an IPv6 address, zero-padded; "" when it is not one.
function expandIPv6(a: string): string {
  const halves = a.split("::");
  if (halves.length > 2) return "";
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return "";
  const groups = [...head, ...Array<string>(fill).fill("0"), ...tail];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return "";
  return groups.map((g) => g.padStart(4, "0")).join(":");
}

function notAvailable(method: string): never {
  throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, `the method ${method} does not exist/is not available`);
}

function entryParam(params: unknown[]): string {
  if (params.length !== 1) throw rpcError(RpcErrorCode.INVALID_PARAMS, `expected 1 argument (a 0x node id or a ws:// peer URL), got ${params.length}`);
  const v = params[0];
  if (typeof v !== "string" || v.length === 0) throw invalidArgument(0, "expected a 0x node id or a ws:// peer URL string");
  return v;
}

// Errors of the p2p side as JSON-RPC errors: a bad entry is a bad argument, a full list a limit.
function asRpcError(e: unknown): unknown {
  if (e instanceof TypeError) return invalidArgument(0, e.message);
  if (e instanceof RangeError) return rpcError(RpcErrorCode.LIMIT_EXCEEDED, e.message);
  return e;
}

/**
 * The admin methods over `admin`. Each one first checks that the caller is on loopback.
 * Mount them only when the operator enabled the namespace.
 */
export function createAdminMethods(admin: RpcAdminBackend): Record<string, MethodHandler> {
  const gated = (name: string, fn: (params: unknown[]) => unknown): MethodHandler => (params: unknown[], ctx: MethodContext) => {
    if (!isLoopbackAddress(ctx.clientAddress)) notAvailable(name);
    return fn(params);
  };
  const noParams = (name: string, params: unknown[]) => {
    if (params.length !== 0) throw rpcError(RpcErrorCode.INVALID_PARAMS, `${name} takes no arguments, got ${params.length}`);
  };
  return {
    admin_nodeInfo: gated("admin_nodeInfo", (p) => {
      noParams("admin_nodeInfo", p);
      return admin.nodeInfo();
    }),
    admin_peers: gated("admin_peers", (p) => {
      noParams("admin_peers", p);
      return admin.peers();
    }),
    admin_blockPeer: gated("admin_blockPeer", (p) => {
      const entry = entryParam(p);
      try {
        admin.blockPeer(entry);
      } catch (e) {
        throw asRpcError(e);
      }
      return true;
    }),
    admin_unblockPeer: gated("admin_unblockPeer", (p) => {
      const entry = entryParam(p);
      try {
        return admin.unblockPeer(entry);
      } catch (e) {
        throw asRpcError(e);
      }
    }),
    admin_blockedPeers: gated("admin_blockedPeers", (p) => {
      noParams("admin_blockedPeers", p);
      return admin.blockedPeers();
    }),
  };
}
