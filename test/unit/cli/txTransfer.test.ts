// Issue 10, `harmony tx transfer`: bad arguments are usage errors (exit 2) naming the flag, before any key
// is read or anything sent; within a shard the transfer is a plain value transfer to the recipient,
// across shards a crossShardTransfer(amount, to, toShardID) call on 0x…f9 carrying the amount as value,
// encoded so that the execution layer's own decoder reads it back.
import { describe, expect, test } from "bun:test";
import { runCLI } from "../../../src/cli/index.ts";
import { UsageError } from "../../../src/cli/usageError.ts";
import { parseTransferFlags, transferCall } from "../../../src/cli/tx.ts";
import { TOKEN, keccak256 } from "../../../src/core/index.ts";
import { CX_TRANSFER_INPUTS, CX_TRANSFER_SELECTOR } from "../../../src/execution/cxAbi.ts";
import { decodeAbiParameters } from "../../../src/staking/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";

const TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ok = { rpc: "http://127.0.0.1:9500/", fromShard: "0", toShard: "1", to: TO, amount: "1.5", wait: "60" as string | false };

describe("tx transfer arguments", () => {
  test("good flags: shards, recipient, amount in wei, wait", () => {
    const r = parseTransferFlags(ok);
    expect(r).toMatchObject({ fromShard: 0, toShard: 1, amount: (3n * TOKEN) / 2n, wait: 60 });
    expect(bytesToHex(r.to)).toBe(TO.toLowerCase());
    expect(parseTransferFlags({ ...ok, wait: false }).wait).toBe(0);
    expect(parseTransferFlags({ ...ok, amount: "0.000000000000000001" }).amount).toBe(1n);
  });

  const bad: [Partial<typeof ok>, string][] = [
    [{ rpc: "127.0.0.1:9500" }, "--rpc must be an http(s):// JSON-RPC URL"],
    [{ fromShard: "x" }, "--from-shard must be an integer"],
    [{ toShard: "-1" }, "--to-shard must be an integer"],
    [{ toShard: "4294967296" }, "--to-shard must be an integer in 0..4294967295"],
    [{ to: "0x1234" }, "--to:"],
    [{ to: "one1nope" }, "--to:"],
    [{ amount: "1.2.3" }, "--amount must be a decimal number"],
    [{ amount: "-1" }, "--amount must be a decimal number"],
    [{ amount: "0" }, "--amount must be above 0"],
    [{ amount: "0.0000000000000000001" }, "--amount must be a decimal number with at most 18 fraction digits"],
    [{ wait: "soon" }, "--wait must be an integer"],
  ];
  for (const [patch, message] of bad) {
    test(`${JSON.stringify(patch)} → ${message}`, () => {
      expect(() => parseTransferFlags({ ...ok, ...patch })).toThrow(UsageError);
      expect(() => parseTransferFlags({ ...ok, ...patch })).toThrow(message);
    });
  }

  test("the CLI exits 2 on a bad or missing flag", async () => {
    const base = ["tx", "transfer", "--rpc", "http://127.0.0.1:1/", "--from", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--from-shard", "0", "--to-shard", "1"];
    expect(await runCLI([...base, "--to", TO, "--amount", "ten"])).toBe(2);
    expect(await runCLI([...base, "--to", "nobody", "--amount", "1"])).toBe(2);
    expect(await runCLI([...base, "--amount", "1"])).toBe(2); // --to missing
  });
});

describe("tx transfer call", () => {
  const to = hexToBytes(TO);

  test("same shard: a plain transfer of the amount to the recipient", () => {
    const c = transferCall({ fromShard: 1, toShard: 1, to, amount: 5n });
    expect(bytesToHex(c.to)).toBe(TO.toLowerCase());
    expect(c.data.length).toBe(0);
    expect(c.value).toBe(5n);
  });

  test("across shards: crossShardTransfer(amount, to, toShardID) on 0x…f9 with the amount as value", () => {
    const c = transferCall({ fromShard: 0, toShard: 3, to, amount: 7n * TOKEN });
    expect(bytesToHex(c.to)).toBe("0x00000000000000000000000000000000000000f9");
    expect(c.value).toBe(7n * TOKEN);
    const selector = keccak256(new TextEncoder().encode("crossShardTransfer(uint256,address,uint32)")).slice(0, 4);
    expect(bytesToHex(c.data.slice(0, 4))).toBe(bytesToHex(selector));
    expect(new DataView(c.data.buffer).getUint32(0)).toBe(CX_TRANSFER_SELECTOR);
    expect(c.data.length).toBe(4 + 3 * 32);
    const [amount, recipient, shard] = decodeAbiParameters(CX_TRANSFER_INPUTS, c.data.slice(4));
    expect(amount).toBe(7n * TOKEN);
    expect(bytesToHex(recipient as Uint8Array)).toBe(TO.toLowerCase());
    expect(shard).toBe(3n);
  });
});
