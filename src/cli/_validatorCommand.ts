/**
 * `harmony node --config FILE`: run a node of a multi-validator network from its config file
 * (_nodeConfig.ts); `--port`, `--data-dir` and `--host` given on the command line override the file.
 * Prints `RPC http://…` and `WS ws://…` once serving; stops cleanly on SIGINT/SIGTERM; exits non-zero
 * when a broken invariant stopped consensus, a store write failed, or an error reached the top of the
 * process unhandled (superviseNode.ts: a second signal or a stop over 10 s exits at once).
 */
import { getRuntimeAdapter } from "../adapter/index.ts";
import type { BLSBackendName } from "../crypto/index.ts";
import { ValidatorNodeError, ValidatorNodeErrorCode, failpointFromEnv, startValidatorNode, superviseNode } from "../node/index.ts";
import { StoreError } from "../store/index.ts";
import { type Logger, createLogger, getLogFormat, setLogDestination, setLogFormat } from "../util/index.ts";
import { UsageError } from "./usageError.ts";
import { type P2PSettings, mergeP2PSettings } from "./_p2pOptions.ts";
import { type NodeConfigFile, loadNodeConfig } from "./_nodeConfig.ts";
import type { RPCSettings } from "../rpc/index.ts";
import { mergeRPCSettings } from "./_rpcOptions.ts";

/** Command-line values that override the config file (present only when given). */
export interface ConfigOverrides {
  port?: number;
  dataDir?: string;
  host?: string;
  /** --log-format given on the command line wins over the file's logFormat. */
  logFormatFromCLI: boolean;
  blsBackend: BLSBackendName | "auto";
  /** `--rpc-*` flags given on the command line (they win over the file's "rpc" object). */
  rpc?: RPCSettings;
  /** `--rpc-admin`, `--p2p-advertise-url`, `--p2p-block` given on the command line. */
  p2p?: P2PSettings;
}

function keyFieldOf(e: ValidatorNodeError, cfg: { passphraseFile: string; nodeKeyFile: string }): string {
  if (e.type.code !== ValidatorNodeErrorCode.KEY_UNREADABLE) return "blsKeystores";
  return e.type.path === cfg.passphraseFile ? "passphraseFile" : e.type.path === cfg.nodeKeyFile ? "nodeKeyFile" : "blsKeystores";
}

/**
 * Run the node until a shutdown signal.
 * @throws {UsageError} for a bad config file, key file or fail point; anything the node throws otherwise.
 */
export async function runValidatorCommand(file: string, o: ConfigOverrides): Promise<void> {
  return runNodeConfig(loadNodeConfig(file), file, o);
}

/**
 * Run the node of a checked config (from a config file, or built from network.json) until a shutdown
 * signal; `file` names the source in messages.
 * @throws {UsageError} for a bad key file or fail point; anything the node throws otherwise.
 */
export async function runNodeConfig(cfg: NodeConfigFile, file: string, o: ConfigOverrides): Promise<void> {
  if (cfg.logFormat !== undefined && !o.logFormatFromCLI) setLogFormat(cfg.logFormat);
  useNodeLogStream();
  let failpoint: ReturnType<typeof failpointFromEnv>;
  try {
    failpoint = failpointFromEnv(process.env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const log = createLogger("node");
  if (cfg.unknownFields.length > 0) log.warn("config has fields this version does not know; ignored", { file, fields: cfg.unknownFields });
  if (failpoint !== undefined) log.warn("fail point armed", { failpoint: failpoint.name, height: failpoint.height });
  // A test switch: this validator never includes its VDF output (the beacon's withholding rule).
  const withholdVDF = process.env.HARMONY_WITHHOLD_VDF === "1";
  if (withholdVDF) log.warn("HARMONY_WITHHOLD_VDF=1: this node never includes its VDF output in the blocks it leads");
  // A test switch: every signed consensus message sent is appended to this file (src/node/voteLog.ts).
  const voteLog = process.env.HARMONY_VOTE_LOG || undefined;
  if (voteLog !== undefined) log.warn("HARMONY_VOTE_LOG set: every signed consensus message sent is logged", { file: voteLog });
  const adapter = await getRuntimeAdapter();
  const supervisor = superviseNode({}, {
    onSignal: (fn) => adapter.onSignal(fn), onUncaughtError: (fn) => adapter.onUncaughtError(fn), exit: (code) => process.exit(code),
    setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>), logger: log,
  });
  const fatal = (e: unknown) => supervisor.fatal(e instanceof StoreError ? "store write failed" : "consensus stopped", e);
  const opt = <T>(k: string, v: T | undefined) => (v === undefined ? {} : { [k]: v });
  let node: Awaited<ReturnType<typeof startValidatorNode>>;
  try {
    node = await startValidatorNode(
      {
        dataDir: o.dataDir ?? cfg.dataDir, host: o.host ?? cfg.host, port: o.port ?? cfg.port, genesis: cfg.genesis, blsKeystores: cfg.blsKeystores,
        passphraseFile: cfg.passphraseFile, nodeKeyFile: cfg.nodeKeyFile, bootnodes: cfg.bootnodes, blsBackend: o.blsBackend,
        ...opt("shardId", cfg.shardId), ...opt("doppelgangerViews", cfg.doppelgangerViews), ...opt("blsWorkers", cfg.blsWorkers), ...opt("maxPeers", cfg.maxPeers), ...opt("failpoint", failpoint), ...opt("voteLog", voteLog),
        ...opt("shardBootnodes", cfg.shardBootnodes), ...opt("shardEndpoints", cfg.shardEndpoints),
        ...(withholdVDF ? { withholdVDF } : {}),
        rpc: mergeRPCSettings(cfg.rpc ?? {}, o.rpc ?? {}),
        ...mergeP2PSettings(cfg.p2p ?? {}, o.p2p ?? {}),
      },
      { adapter, logger: log, onFatal: fatal },
    );
  } catch (e) {
    supervisor.detach();
    if (e instanceof ValidatorNodeError && e.type.code !== ValidatorNodeErrorCode.SAFETY_WRITE_FAILED) {
      throw new UsageError(`config ${file}: "${keyFieldOf(e, cfg)}": ${e.message}`);
    }
    throw e;
  }
  announceServing(log, { rpc: node.url, ws: node.wsUrl }, `RPC ${node.url}\nWS ${node.wsUrl}\n`);
  supervisor.attach(node);
  const code = await supervisor.done;
  if (code !== 0) throw new NodeStoppedError("the node stopped after a fatal error (see the fatal: line above)");
}

/**
 * A node in JSON log mode logs on stdout, so a service manager's one stream (journald: `journalctl
 * -o cat`) is JSON objects only; pretty mode keeps logs on stderr beside the plain RPC/WS lines.
 */
export function useNodeLogStream(): void {
  if (getLogFormat() === "json") setLogDestination("stdout");
}

/** Say where the node serves: a log line in JSON mode (stdout holds only JSON then), `plain` text otherwise. */
export function announceServing(log: Logger, fields: Record<string, unknown>, plain: string): void {
  if (getLogFormat() === "json") log.info("serving", fields);
  else process.stdout.write(plain);
}

/** The node stopped on a fatal error, already logged; the CLI exits non-zero. */
export class NodeStoppedError extends Error {}
