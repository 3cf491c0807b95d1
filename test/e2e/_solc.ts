// Compiles the test contracts with solc (npm, solc-js) inside the test run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import solc from "solc";

export interface Compiled {
  abi: unknown[];
  bytecode: `0x${string}`;
}

/** Compile test/e2e/contracts/<name>.sol and return contract `name`. @throws on compiler errors */
export function compileContract(name: string): Compiled {
  const source = readFileSync(join(import.meta.dir, "contracts", `${name}.sol`), "utf8");
  const input = {
    language: "Solidity",
    sources: { [`${name}.sol`]: { content: source } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join("\n"));
  const c = out.contracts[`${name}.sol`][name];
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}
