// Intrinsic gas under Cancun (Yellow Paper g0, EIP-2028, EIP-2930, EIP-3860): core's one definition,
// cross-checked against @ethereumjs/tx's own computation for the same transactions.
import { describe, expect, test } from "bun:test";
import { transactionIntrinsicGas } from "../../../src/core/index.ts";
import { addr, signTx } from "../txpool/_helpers.ts";

describe("transactionIntrinsicGas", () => {
  const data = Uint8Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0 : i));
  const cases = [
    { name: "plain transfer", spec: { from: 1, nonce: 0 }, want: 21000n },
    { name: "calldata (34 zero, 66 non-zero bytes)", spec: { from: 1, nonce: 0, data, gasLimit: 100000n }, want: 21000n + 34n * 4n + 66n * 16n },
    { name: "creation with initcode words", spec: { from: 1, nonce: 0, to: null, data, gasLimit: 100000n }, want: 53000n + 34n * 4n + 66n * 16n + 4n * 2n },
    {
      name: "access list: 2 addresses, 3 keys",
      spec: {
        from: 1, nonce: 0, type: 1 as const, gasLimit: 100000n,
        accessList: [
          { address: addr(8), storageKeys: [`0x${"00".repeat(32)}`, `0x${"01".repeat(32)}`] },
          { address: addr(9), storageKeys: [`0x${"02".repeat(32)}`] },
        ] as never,
      },
      want: 21000n + 2n * 2400n + 3n * 1900n,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const tx = signTx(c.spec);
      expect(transactionIntrinsicGas(tx)).toBe(c.want);
      expect(transactionIntrinsicGas(tx)).toBe(tx.getIntrinsicGas());
    });
  }
});
