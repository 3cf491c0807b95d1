/** `harmony status` facts as one terminal screen: one fact per line, keys shortened, unknowns left out. */
import { formatEta } from "../sync/index.ts";
import type { KeyShare, StatusFacts } from "./_statusFacts.ts";

const short = (k: string): string => (k.length > 16 ? `0x${k.slice(0, 8)}…${k.slice(-4)}` : `0x${k}`);
const pct = (s: KeyShare): string => {
  const n = s.signed + s.missed;
  return n ? `${Math.round((100 * s.signed) / n)}%` : "-";
};
const secs = (s: number): string => (s < 120 ? `${s.toFixed(1)}s` : s < 7200 ? `${(s / 60).toFixed(1)}m` : `${(s / 3600).toFixed(1)}h`);

function keyLine(s: KeyShare, leader: string | undefined): string {
  const tags = [s.mine ? "this node" : "", s.key === leader ? "leader" : ""].filter(Boolean).join(", ");
  const last = s.signedLast === undefined ? "" : s.signedLast ? "  last: signed" : "  last: MISSED";
  return `  ${short(s.key)}  signed ${s.signed}/${s.signed + s.missed} (${pct(s)})${last}${tags ? `  [${tags}]` : ""}`;
}

function syncLine(s: Exclude<StatusFacts["syncing"], false | undefined>): string {
  const rate = s.blocksPerSecond === undefined ? "" : `  ${s.blocksPerSecond.toFixed(1)} blk/s`;
  return `${s.current}/${s.highest}${rate}${s.etaSeconds === undefined ? "" : `  ETA ${formatEta(s.etaSeconds)}`}`;
}

// The committee is summarised past this many keys so the screen stays one screen.
const MAX_KEY_LINES = 12;

/** The screen, without a trailing newline. */
export function formatStatus(f: StatusFacts): string {
  const out: string[] = [`harmony node at ${f.rpc}${f.version ? `  (${f.version})` : ""}`];
  const id = [
    f.networkId !== undefined ? `network ${f.networkId}` : "",
    f.shardId !== undefined ? `shard ${f.shardId}` : "",
    f.chainId !== undefined ? `chain id ${f.chainId}` : "",
  ].filter(Boolean);
  if (id.length) out.push(id.join("  "));
  if (f.head) out.push(`head       #${f.head.number}  ${secs(f.head.ageSeconds)} ago${f.head.hash ? `  ${f.head.hash.slice(0, 18)}…` : ""}`);
  const cons = [
    f.epoch !== undefined ? `epoch ${f.epoch}` : "",
    f.viewId !== undefined ? `view ${f.viewId}` : "",
    f.mode ? `mode ${f.mode}` : "",
    f.isLeader !== undefined ? (f.isLeader ? "leading" : "not leading") : "",
    f.leaderKey ? `leader ${short(f.leaderKey)}` : "",
    f.viewChanges !== undefined ? `view changes ${f.viewChanges}` : "",
  ].filter(Boolean);
  if (cons.length) out.push(`consensus  ${cons.join("  ")}`);
  if (f.finalitySeconds !== undefined) out.push(`finality   ${f.finalitySeconds.toFixed(2)}s per block (last ${f.window} blocks)`);
  if (f.commitDelaySeconds !== undefined) out.push(`committed  ${f.commitDelaySeconds.toFixed(2)}s after the header time (mean of recent blocks, on this node)`);
  if (f.syncing !== undefined) out.push(`syncing    ${f.syncing === false ? "no" : syncLine(f.syncing)}`);
  if (f.peers !== undefined) out.push(`peers      ${f.peers}`);
  if (f.txpool) out.push(`txpool     ${f.txpool.pending} pending  ${f.txpool.queued} queued`);
  const mine = f.committee?.filter((s) => s.mine) ?? [];
  if (f.myKeys.length === 0) out.push("keys       none (not a validator)");
  else {
    out.push(`keys       ${f.myKeys.length} on this node`);
    for (const k of f.myKeys) {
      const s = mine.find((m) => m.key === k);
      out.push(s ? keyLine(s, f.leaderKey) : `  ${short(k)}  not in the committee`);
    }
  }
  if (f.committee) {
    const signedAll = f.committee.reduce((n, s) => n + s.signed, 0);
    const slots = f.committee.reduce((n, s) => n + s.signed + s.missed, 0);
    out.push(`committee  ${f.committee.length} keys  ${slots ? Math.round((100 * signedAll) / slots) : 0}% of signatures over the last ${f.window} blocks`);
    const ranked = [...f.committee].sort((a, b) => b.missed - a.missed);
    for (const s of ranked.slice(0, MAX_KEY_LINES)) out.push(keyLine(s, f.leaderKey));
    if (ranked.length > MAX_KEY_LINES) out.push(`  … ${ranked.length - MAX_KEY_LINES} more (all signed more than those shown)`);
  }
  if (f.shards?.length) out.push(`shards     ${f.shards.map((s) => `${s.shardID}${s.http ? ` ${s.http}` : ""}`).join("  |  ")}`);
  if (f.staking) {
    const s = f.staking;
    const parts = [
      s.totalSupply ? `supply ${s.totalSupply}` : "",
      s.totalStaking ? `staked ${s.totalStaking}` : "",
      s.medianRawStake ? `median stake ${s.medianRawStake}` : "",
      s.epochLastBlock !== undefined ? `epoch ends #${s.epochLastBlock}` : "",
      s.validatorsElected !== undefined ? `validators elected ${s.validatorsElected}` : "",
    ].filter(Boolean);
    if (parts.length) out.push(`staking    ${parts.join("  ")}`);
  }
  if (f.crossLinks?.length) out.push(`crosslinks ${f.crossLinks.map((l) => `shard ${l.shardId} #${l.blockNumber}`).join("  ")}`);
  return out.join("\n");
}
