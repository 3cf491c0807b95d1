// `harmony staking info` helpers: staking amounts (wei beyond 2^53) survive the JSON round trip
// exactly, and wei prints as tokens.
import { describe, expect, test } from "bun:test";
import { parseJSONExact, stringifyJSONExact } from "../../../src/cli/_stakingClient.ts";
import { formatTokens } from "../../../src/cli/_stakingInfo.ts";

describe("staking info", () => {
  test("exact JSON: integers past 2^53 become bigints and are written back digit for digit", () => {
    const text = '{"a":150000000000000000000,"b":-98765432109876543210,"c":7,"d":1.5,"e":"12345678901234567890","f":[9007199254740993]}';
    const v = parseJSONExact(text) as Record<string, unknown>;
    expect(v.a).toBe(150_000_000_000_000_000_000n);
    expect(v.b).toBe(-98_765_432_109_876_543_210n);
    expect(v.c).toBe(7);
    expect(v.d).toBe(1.5);
    expect(v.e).toBe("12345678901234567890");
    expect(v.f).toEqual([9_007_199_254_740_993n]);
    expect(stringifyJSONExact(v)).toBe(text);
    expect(() => parseJSONExact("{nope")).toThrow(SyntaxError);
  });

  test("wei as tokens", () => {
    expect(formatTokens(150n * 10n ** 18n)).toBe("150");
    expect(formatTokens(20_500_000_000_000_000_000n)).toBe("20.5");
    expect(formatTokens(1n)).toBe("0.000000000000000001");
    expect(formatTokens(0n)).toBe("0");
    expect(formatTokens(-3n * 10n ** 17n)).toBe("-0.3");
  });
});
