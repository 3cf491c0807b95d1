// The test contracts (compiled from Solidity source with solc from npm) in the form viem/ethers deploy.
import { bytesToHex } from "../../src/util/index.ts";
import { compileContracts } from "../unit/execution/_contracts.ts";

export interface Compiled {
  abi: unknown[];
  bytecode: `0x${string}`;
}

/** Contract `name` ("Token" or "Helper") of test/unit/execution/_contracts.ts. */
export function compileContract(name: "Token" | "Helper"): Compiled {
  const c = compileContracts()[name];
  return { abi: c.abi as unknown[], bytecode: bytesToHex(c.bytecode) as `0x${string}` };
}
