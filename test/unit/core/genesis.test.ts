// Genesis file format, dev accounts (Hardhat/Anvil well-known keys) and the chain config presets.
import { describe, expect, test } from "bun:test";
import { mnemonicToAccount } from "viem/accounts";
import { privateKeyToAddress, toChecksumAddress } from "../../../src/crypto/index.ts";
import { hexToBytes, bytesToHex } from "../../../src/util/index.ts";
import {
  DEV_ACCOUNTS,
  DEV_ACCOUNT_BALANCE,
  DEV_CHAIN_CONFIG,
  DEV_MNEMONIC,
  MAINNET_LIKE_CHAIN_CONFIG,
  chainConfigFromJSON,
  createDevGenesis,
  createGenesisHeader,
  genesisToJSON,
  getChainConfigPreset,
  parseGenesisJSON,
  EMPTY_TRIE_ROOT,
} from "../../../src/core/index.ts";

describe("dev accounts", () => {
  test("each hard-coded private key derives its address", () => {
    expect(DEV_ACCOUNTS.length).toBe(10);
    for (const a of DEV_ACCOUNTS) expect(toChecksumAddress(privateKeyToAddress(hexToBytes(a.privateKey)))).toBe(a.address);
  });

  test("they are m/44'/60'/0'/0/i of the test mnemonic (checked with viem's BIP-32)", () => {
    DEV_ACCOUNTS.forEach((a, i) => expect(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }).address).toBe(a.address as `0x${string}`));
  });
});

describe("chain config", () => {
  test("presets", () => {
    expect(DEV_CHAIN_CONFIG.chainId(0)).toBe(31337n);
    expect(DEV_CHAIN_CONFIG.minGasPrice).toBe(1_000_000_000n);
    expect(DEV_CHAIN_CONFIG.epochBlocks).toBe(32);
    expect(DEV_CHAIN_CONFIG.blockTimeMs).toBe(1000);
    expect(DEV_CHAIN_CONFIG.blockGasLimit).toBe(30_000_000n);
    expect(MAINNET_LIKE_CHAIN_CONFIG.chainId(3)).toBe(31403n);
    expect(MAINNET_LIKE_CHAIN_CONFIG.epochBlocks).toBe(32768);
    expect(getChainConfigPreset("mainnet-like")).toBe(MAINNET_LIKE_CHAIN_CONFIG);
    expect(() => getChainConfigPreset("x")).toThrow(RangeError);
    expect(() => DEV_CHAIN_CONFIG.chainId(1)).toThrow(RangeError);
  });

  test("isActive follows activation epochs; JSON round trip", () => {
    const c = chainConfigFromJSON({ ...DEV_CHAIN_CONFIG.toJSON(), activationEpochs: { eposV2: "5", slashing: null } });
    expect(c.isActive("eposV2", 4n)).toBe(false);
    expect(c.isActive("eposV2", 5n)).toBe(true);
    expect(c.isActive("slashing", 1_000_000n)).toBe(false);
    expect(c.isActive("vrf", 0n)).toBe(true);
    expect(DEV_CHAIN_CONFIG.isActive("staking", 0n)).toBe(true);
    expect(chainConfigFromJSON(JSON.parse(JSON.stringify(c.toJSON()))).toJSON()).toEqual(c.toJSON());
  });
});

describe("genesis", () => {
  test("dev genesis funds the ten accounts with 1,000,000 tokens; JSON round trip", () => {
    const g = createDevGenesis({ committees: [[new Uint8Array(48).fill(1)]] });
    expect(g.alloc.length).toBe(10);
    expect(DEV_ACCOUNT_BALANCE).toBe(10n ** 24n);
    for (const [, a] of g.alloc) expect(a.balance).toBe(10n ** 24n);
    const back = parseGenesisJSON(JSON.parse(JSON.stringify(genesisToJSON(g))));
    expect(genesisToJSON(back)).toEqual(genesisToJSON(g));
    const h1 = createGenesisHeader(g, 0, EMPTY_TRIE_ROOT);
    const h2 = createGenesisHeader(back, 0, EMPTY_TRIE_ROOT);
    expect(bytesToHex(h1.hash)).toBe(bytesToHex(h2.hash));
    expect(h1.gasLimit).toBe(30_000_000n);
  });

  test("malformed genesis fields are rejected", () => {
    expect(() => parseGenesisJSON({ alloc: { "0x12": { balance: "1" } } })).toThrow(RangeError);
    expect(() => parseGenesisJSON({ alloc: { ["0x" + "11".repeat(20)]: { balance: "-1" } } })).toThrow(TypeError);
    expect(() => parseGenesisJSON({ committees: [["0x1234"]] })).toThrow(RangeError);
  });
});
