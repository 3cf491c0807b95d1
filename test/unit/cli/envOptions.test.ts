// Flags from the environment (DESIGN §4): HARMONY_<FLAG> for every bound option, the command line
// winning over it; a devnet does not hand its nodes the operator's node-flag variables.
import { describe, expect, test } from "bun:test";
import { Command } from "commander";
import { bindEnv, chosen, envNameOf, envWithoutFlagsOf } from "../../../src/cli/_envOptions.ts";

function parse(argv: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const cmd = new Command("probe").exitOverride()
      .option("--port <port>", "port", "9500")
      .option("--rpc-gas-cap <gas>", "cap")
      .option("--dev", "dev");
    bindEnv(cmd, ["--dev"]);
    cmd.parse(argv, { from: "user" });
    return cmd;
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe("flags from the environment", () => {
  test("names: --rpc-gas-cap → HARMONY_RPC_GAS_CAP", () => {
    expect(envNameOf("--rpc-gas-cap")).toBe("HARMONY_RPC_GAS_CAP");
    expect(envNameOf("--port")).toBe("HARMONY_PORT");
  });

  test("a variable sets the flag and counts as chosen; the command line wins; excluded flags stay flags", () => {
    const fromEnv = parse([], { HARMONY_PORT: "9612", HARMONY_RPC_GAS_CAP: "30000", HARMONY_DEV: "1" });
    expect(fromEnv.opts()).toEqual({ port: "9612", rpcGasCap: "30000" });
    expect(chosen(fromEnv, "port")).toBe(true);
    const fromCLI = parse(["--port", "9700"], { HARMONY_PORT: "9612" });
    expect(fromCLI.opts().port).toBe("9700");
    const neither = parse([], {});
    expect(neither.opts().port).toBe("9500");
    expect(chosen(neither, "port")).toBe(false);
  });

  test("a child started with its own flags does not inherit the variables of that command's flags", () => {
    parse([], {});
    const env = { HARMONY_PORT: "9612", HARMONY_RPC_GAS_CAP: "1", HARMONY_FAILPOINT: "x", PATH: "/bin" };
    expect(envWithoutFlagsOf("probe", env)).toEqual({ HARMONY_FAILPOINT: "x", PATH: "/bin" });
    expect(envWithoutFlagsOf("no-such-command", env)).toEqual(env);
  });
});
