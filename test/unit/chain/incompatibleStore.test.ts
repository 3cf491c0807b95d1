// A data dir written before headers carried baseFeePerGas (24-field headers) is refused at open with
// a typed error that says what to do, not a decode failure on the first read.
import { describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import { ChainError, ChainErrorCode } from "../../../src/chain/index.ts";
import { headerKey } from "../../../src/chain/keys.ts";
import { openStore } from "../../../src/store/index.ts";
import { devChain } from "./_helpers.ts";

describe("opening an older store", () => {
  test("genesis stored in the old header format → INCOMPATIBLE_STORE naming the way out", async () => {
    const kv = openStore(":memory:");
    const chain = await devChain(kv);
    const genesis = chain.head;
    await chain.close();
    // The same header without its baseFeePerGas field (index 11, after gasUsed): the layout before this field existed.
    const fields = RLP.decode(genesis.encoded) as Uint8Array[];
    fields.splice(11, 1);
    kv.put(headerKey(genesis.hash), RLP.encode(fields));
    const err = await devChain(kv).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect((err as ChainError).type.code).toBe(ChainErrorCode.INCOMPATIBLE_STORE);
    expect((err as ChainError).message).toContain("--fresh");
  });
});
