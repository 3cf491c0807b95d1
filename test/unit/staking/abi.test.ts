// The staking contract's ABI (src/staking/abi.ts) against viem's encoder, and the strict decoder
// (Solidity ABI spec, https://docs.soliditylang.org/en/latest/abi-spec.html) on malformed calldata.
import { describe, expect, test } from "bun:test";
import { encodeAbiParameters as viemEncode, encodeFunctionData, hexToBytes, toFunctionSelector } from "viem";
import { AbiDecodeError, STAKING_ABI, STAKING_FUNCTIONS, decodeAbiParameters, encodeAbiParameters, functionSignature } from "../../../src/staking/index.ts";

const fn = (name: string) => {
  const f = [...STAKING_FUNCTIONS.values()].find((x) => x.name === name);
  if (!f) throw new Error(`no ${name}`);
  return f;
};
const args = (data: `0x${string}`) => hexToBytes(data).subarray(4);
const key = (n: number) => new Uint8Array(48).fill(n);

describe("staking ABI", () => {
  test("selectors equal viem's; Delegate keeps Harmony's 0x510b11bb", () => {
    for (const f of STAKING_ABI) {
      const ours = fn(f.name).selector.toString(16).padStart(8, "0");
      expect(`0x${ours}`).toBe(toFunctionSelector(f));
    }
    expect(fn("Delegate").selector).toBe(0x510b11bb);
    expect(functionSignature(STAKING_ABI[0])).toBe("createValidator((string,string,string,string,string),(uint256,uint256,uint256),uint256,uint256,bytes[],bytes[])");
  });

  test("createValidator calldata from viem decodes to the same values", () => {
    const data = encodeFunctionData({
      abi: STAKING_ABI,
      functionName: "createValidator",
      args: [
        { name: "Alice's node ✓", identity: "alice", website: "https://a.example", securityContact: "sec@a", details: "" },
        { rate: 10n ** 17n, maxRate: 5n * 10n ** 17n, maxChangeRate: 10n ** 16n },
        100n * 10n ** 18n,
        2n ** 256n - 1n,
        ["0x" + "11".repeat(48), "0x" + "22".repeat(48)] as `0x${string}`[],
        ["0x" + "33".repeat(96), "0x" + "44".repeat(96)] as `0x${string}`[],
      ],
    });
    const f = fn("createValidator");
    expect(f.payable).toBe(true);
    const v = decodeAbiParameters(f.inputs, args(data));
    expect(v[0]).toEqual(["Alice's node ✓", "alice", "https://a.example", "sec@a", ""]);
    expect(v[1]).toEqual([10n ** 17n, 5n * 10n ** 17n, 10n ** 16n]);
    expect(v[2]).toBe(100n * 10n ** 18n);
    expect(v[3]).toBe(2n ** 256n - 1n);
    expect(v[4]).toEqual([key(0x11), key(0x22)]);
    expect((v[5] as Uint8Array[])[1]).toEqual(new Uint8Array(96).fill(0x44));
  });

  test("our encoder matches viem's byte for byte", () => {
    const f = fn("editValidator");
    const values = [["n", "", "w", "", "d"], 7n, 0n, 1n, key(1), new Uint8Array(0), new Uint8Array(96).fill(9), 2n] as const;
    const ours = encodeAbiParameters(f.inputs, values as never);
    const theirs = viemEncode(STAKING_ABI[1].inputs, [
      { name: "n", identity: "", website: "w", securityContact: "", details: "d" },
      7n, 0n, 1n, `0x${"01".repeat(48)}`, "0x", `0x${"09".repeat(96)}`, 2,
    ]);
    expect(ours).toEqual(hexToBytes(theirs));
    expect(decodeAbiParameters(f.inputs, ours)).toEqual(values as never);
  });

  test("malformed calldata is rejected, never misread", () => {
    const f = fn("Delegate");
    const good = args(encodeFunctionData({ abi: STAKING_ABI, functionName: "Delegate", args: [`0x${"aa".repeat(20)}`, `0x${"bb".repeat(20)}`, 5n] }));
    expect(decodeAbiParameters(f.inputs, good)[2]).toBe(5n);
    expect(() => decodeAbiParameters(f.inputs, good.subarray(0, 95))).toThrow(AbiDecodeError);
    const dirty = good.slice();
    dirty[0] = 1; // high bytes of an address
    expect(() => decodeAbiParameters(f.inputs, dirty)).toThrow("dirty high bytes");
    const badBool = args(encodeFunctionData({ abi: STAKING_ABI, functionName: "setAutoCompound", args: [`0x${"aa".repeat(20)}`, true] }));
    badBool[63] = 2;
    expect(() => decodeAbiParameters(fn("setAutoCompound").inputs, badBool)).toThrow("neither 0 nor 1");
    const edit = fn("editValidator");
    const report = encodeAbiParameters(edit.inputs, [["", "", "", "", ""], 0n, 0n, 0n, Uint8Array.of(0x12, 0x34), new Uint8Array(0), new Uint8Array(0), 0n]);
    const pastEnd = report.slice();
    pastEnd[4 * 32 + 31] = 0xff; // slotKeyToRemove's offset past the data
    expect(() => decodeAbiParameters(edit.inputs, pastEnd)).toThrow(AbiDecodeError);
    const longLen = report.slice();
    const at = Number(new DataView(report.buffer).getUint32(4 * 32 + 28)); // where slotKeyToRemove's length word is
    longLen[at + 31] = 0xff; // 255 bytes claimed
    expect(() => decodeAbiParameters(edit.inputs, longLen)).toThrow("past the end");
    const status = fn("editValidator");
    const st = encodeAbiParameters(status.inputs, [["", "", "", "", ""], 0n, 0n, 0n, new Uint8Array(0), new Uint8Array(0), new Uint8Array(0), 1n]);
    st[7 * 32 + 30] = 1; // status word = 257, not a uint8
    expect(() => decodeAbiParameters(status.inputs, st)).toThrow("uint8 out of range");
  });
});
