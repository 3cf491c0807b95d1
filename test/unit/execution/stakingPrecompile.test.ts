// The staking system contract at 0x…fc inside the EVM (DESIGN §Staking): called by an EOA and by a
// contract (msg.sender is the caller), value taken as self-stake, failures revert with a reason a
// wallet shows and change nothing, writes undone when an enclosing call reverts, no DELEGATECALL.
import { beforeAll, describe, expect, test } from "bun:test";
import solc from "solc";
import { type Abi, decodeErrorResult, encodeFunctionData } from "viem";
import { TOKEN } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { STAKING_GAS } from "../../../src/execution/stakingPrecompile.ts";
import { WorldState } from "../../../src/state/index.ts";
import { DEC_ONE, STAKING_ABI, STAKING_ADDRESS_BYTES, StakingState } from "../../../src/staking/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";
import { addrs, devChain, produce, tx } from "../chain/_helpers.ts";

const STAKING = STAKING_ADDRESS_BYTES;
const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract StakingUser {
    address constant STAKING = address(0xfc);
    constructor() payable {}
    function delegate(address validator, uint256 amount, bool thenRevert) external {
        (bool ok, bytes memory ret) = STAKING.call(abi.encodeWithSignature("Delegate(address,address,uint256)", address(this), validator, amount));
        if (!ok) { assembly { revert(add(ret, 32), mload(ret)) } }
        if (thenRevert) revert("undone by the caller");
    }
    function delegateFor(address delegator, address validator, uint256 amount) external {
        (bool ok, bytes memory ret) = STAKING.call(abi.encodeWithSignature("Delegate(address,address,uint256)", delegator, validator, amount));
        if (!ok) { assembly { revert(add(ret, 32), mload(ret)) } }
    }
    function viaDelegatecall(address validator, uint256 amount) external {
        (bool ok, bytes memory ret) = STAKING.delegatecall(abi.encodeWithSignature("Delegate(address,address,uint256)", address(this), validator, amount));
        if (!ok) { assembly { revert(add(ret, 32), mload(ret)) } }
    }
}`;

let bls: BLS;
let user: { abi: Abi; bytecode: Uint8Array };
beforeAll(async () => {
  bls = await createBLS();
  const out = JSON.parse(solc.compile(JSON.stringify({
    language: "Solidity",
    sources: { "s.sol": { content: SOURCE } },
    settings: { evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  })));
  const c = out.contracts["s.sol"].StakingUser;
  user = { abi: c.abi, bytecode: hexToBytes(`0x${c.evm.bytecode.object}`) };
});

const call = (fn: string, args: unknown[]) => hexToBytes(encodeFunctionData({ abi: STAKING_ABI, functionName: fn, args } as never));
const userCall = (fn: string, args: unknown[]) => hexToBytes(encodeFunctionData({ abi: user.abi, functionName: fn, args } as never));
const reason = (data: Uint8Array | undefined) => (data ? decodeErrorResult({ abi: [], data: bytesToHex(data) as `0x${string}` }).args?.[0] : undefined);

function createValidatorData(seed: number) {
  const sk = bls.keygen(new Uint8Array(32).fill(seed));
  const pk = bls.secretToPublic(sk);
  return call("createValidator", [
    { name: `v${seed}`, identity: "", website: "", securityContact: "", details: "" },
    { rate: DEC_ONE / 10n, maxRate: DEC_ONE / 2n, maxChangeRate: DEC_ONE / 20n },
    100n * TOKEN,
    10_000n * TOKEN,
    [bytesToHex(pk)],
    [bytesToHex(bls.popProve(sk))],
  ]);
}

function staking(chain: Awaited<ReturnType<typeof devChain>>) {
  return new StakingState(new WorldState(chain.state, chain.head.stateRoot));
}

describe("staking contract", () => {
  test("an EOA creates a validator with msg.value as self-stake; another delegates; gas as priced", async () => {
    const chain = await devChain();
    const before = chain.stateAt().getBalance(addrs[0] as Uint8Array);
    const b = await produce(chain, [
      tx(0, 0n, { to: STAKING, value: 200n * TOKEN, data: createValidatorData(1), gasLimit: 6_000_000n }),
      tx(1, 0n, { to: STAKING, data: call("Delegate", [bytesToHex(addrs[1] as Uint8Array), bytesToHex(addrs[0] as Uint8Array), 50n * TOKEN]), gasLimit: 200_000n }),
    ]);
    const r0 = chain.getTransactionReceipt(b.block.transactions[0]!.hash())!;
    const r1 = chain.getTransactionReceipt(b.block.transactions[1]!.hash())!;
    expect(r0.receipt.status).toBe(1);
    expect(r1.receipt.status).toBe(1);
    expect(r0.gasUsed).toBeGreaterThan(STAKING_GAS.createValidator);
    const s = staking(chain);
    expect(s.getValidator(addrs[0] as Uint8Array)?.totalDelegation).toBe(250n * TOKEN);
    expect(s.getDelegation(addrs[0] as Uint8Array, addrs[1] as Uint8Array)?.amount).toBe(50n * TOKEN);
    // The self-stake left the operator's balance and sits in no balance at all.
    expect(chain.stateAt().getBalance(addrs[0] as Uint8Array)).toBe(before - 200n * TOKEN - r0.gasUsed * r0.effectiveGasPrice);
    expect(chain.stateAt().getBalance(STAKING)).toBe(0n);
  });

  test("a refused call reverts with the reason and changes nothing but the fee", async () => {
    const chain = await devChain();
    await produce(chain, [tx(0, 0n, { to: STAKING, value: 200n * TOKEN, data: createValidatorData(1), gasLimit: 6_000_000n })]);
    const forged = call("Delegate", [bytesToHex(addrs[0] as Uint8Array), bytesToHex(addrs[0] as Uint8Array), 5n * TOKEN]);
    const sim = await chain.call({ from: addrs[2], to: STAKING, data: forged });
    expect(sim.success).toBe(false);
    expect(reason(sim.revertData)).toBe("staking: delegatorAddress must be msg.sender");
    const rootBefore = chain.head.stateRoot;
    const s0 = staking(chain);
    const v0 = s0.getValidator(addrs[0] as Uint8Array);
    const b = await produce(chain, [tx(2, 0n, { to: STAKING, data: forged, gasLimit: 200_000n })]);
    expect(chain.getTransactionReceipt(b.block.transactions[0]!.hash())?.receipt.status).toBe(0);
    expect(staking(chain).getValidator(addrs[0] as Uint8Array)).toEqual(v0);
    expect(chain.head.stateRoot).not.toEqual(rootBefore); // only the sender's nonce and fee changed
    const unknown = await chain.call({ from: addrs[2], to: STAKING, data: Uint8Array.of(1, 2, 3, 4) });
    expect(reason(unknown.revertData)).toBe("staking: unknown function");
    const bad = await chain.call({ from: addrs[2], to: STAKING, data: call("Delegate", [bytesToHex(addrs[2] as Uint8Array), bytesToHex(addrs[0] as Uint8Array), 1n]).subarray(0, 40) });
    expect(String(reason(bad.revertData))).toContain("bad calldata for Delegate");
    const paid = await chain.call({ from: addrs[2], to: STAKING, value: 1n, data: call("CollectRewards", [bytesToHex(addrs[2] as Uint8Array)]) });
    expect(reason(paid.revertData)).toBe("staking: CollectRewards takes no value");
    const oog = await chain.call({ from: addrs[2], to: STAKING, gas: 30_000n, data: call("CollectRewards", [bytesToHex(addrs[2] as Uint8Array)]) });
    expect(oog.error).toBe("out of gas");
  });

  test("a contract stakes as msg.sender; its revert undoes the staking writes; it cannot act for others or DELEGATECALL", async () => {
    const chain = await devChain();
    const v = addrs[0] as Uint8Array;
    const deploy = await produce(chain, [
      tx(0, 0n, { to: STAKING, value: 200n * TOKEN, data: createValidatorData(1), gasLimit: 6_000_000n }),
      tx(1, 0n, { data: user.bytecode, value: 100n * TOKEN, gasLimit: 2_000_000n }),
    ]);
    const contract = chain.getTransactionReceipt(deploy.block.transactions[1]!.hash())!.contractAddress as Uint8Array;
    const ok = await produce(chain, [tx(1, 1n, { to: contract, data: userCall("delegate", [bytesToHex(v), 10n * TOKEN, false]), gasLimit: 500_000n })]);
    expect(chain.getTransactionReceipt(ok.block.transactions[0]!.hash())?.receipt.status).toBe(1);
    expect(staking(chain).getDelegation(v, contract)?.amount).toBe(10n * TOKEN);
    expect(chain.stateAt().getBalance(contract)).toBe(90n * TOKEN);

    const undone = await chain.call({ from: addrs[1], to: contract, data: userCall("delegate", [bytesToHex(v), 10n * TOKEN, true]) });
    expect(reason(undone.revertData)).toBe("undone by the caller");
    const b = await produce(chain, [tx(1, 2n, { to: contract, data: userCall("delegate", [bytesToHex(v), 10n * TOKEN, true]), gasLimit: 500_000n })]);
    expect(chain.getTransactionReceipt(b.block.transactions[0]!.hash())?.receipt.status).toBe(0);
    expect(staking(chain).getDelegation(v, contract)?.amount).toBe(10n * TOKEN);
    expect(staking(chain).getValidator(v)?.totalDelegation).toBe(210n * TOKEN);
    expect(chain.stateAt().getBalance(contract)).toBe(90n * TOKEN);

    const forOthers = await chain.call({ from: addrs[1], to: contract, data: userCall("delegateFor", [bytesToHex(addrs[1] as Uint8Array), bytesToHex(v), 10n * TOKEN]) });
    expect(reason(forOthers.revertData)).toBe("staking: delegatorAddress must be msg.sender");
    const dc = await chain.call({ from: addrs[1], to: contract, data: userCall("viaDelegatecall", [bytesToHex(v), 10n * TOKEN]) });
    expect(String(reason(dc.revertData))).toContain("call the staking contract directly");
  });
});
