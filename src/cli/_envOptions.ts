/**
 * Flags from the environment (DESIGN §4: config file + flags + env): every option of a command can be
 * given as `HARMONY_<FLAG_NAME>` (`--rpc-gas-cap` → `HARMONY_RPC_GAS_CAP`), as containers and service
 * managers prefer. A flag on the command line wins over the variable, which wins over the config file,
 * which wins over the default. `harmony node --help` names each variable.
 */
import type { Command } from "commander";

/** Prefix of the variables. */
export const ENV_PREFIX = "HARMONY_";

/** The variable of a flag: `--rpc-gas-cap` → `HARMONY_RPC_GAS_CAP`. */
export function envNameOf(longFlag: string): string {
  return ENV_PREFIX + longFlag.replace(/^--/, "").replace(/-/g, "_").toUpperCase();
}

// The variables bound to each command's flags, by command name.
const bound = new Map<string, Set<string>>();

/** Let every option of `cmd` (added so far) be given by its variable; `except` names flags that stay command-line only. */
export function bindEnv(cmd: Command, except: readonly string[] = []): Command {
  const names = bound.get(cmd.name()) ?? new Set<string>();
  bound.set(cmd.name(), names);
  for (const o of cmd.options) {
    if (o.long === undefined || o.envVar !== undefined || except.includes(o.long)) continue;
    const name = envNameOf(o.long);
    o.env(name);
    names.add(name);
    // commander wires a variable when the option is added; these options exist already, so the
    // value it reads at parse time is handled here as commander would (parser, boolean, source "env").
    const key = o.attributeName();
    cmd.on(`optionEnv:${o.name()}`, (val?: string) => {
      const old = cmd.getOptionValue(key);
      let v: unknown = val;
      if (val !== undefined && o.parseArg) v = o.parseArg(val, cmd.getOptionValueSource(key) === "default" ? o.defaultValue : old);
      else if (val === undefined) v = o.negate ? false : true;
      cmd.setOptionValueWithSource(key, v, "env");
    });
  }
  return cmd;
}

/**
 * `env` without the variables of `command`'s flags: a process that starts `harmony node` with flags
 * of its own (the devnet's nodes) must not hand them the operator's HARMONY_PORT and the like, which
 * would win over the config file it gives each node.
 */
export function envWithoutFlagsOf(command: string, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const names = bound.get(command);
  return Object.fromEntries(Object.entries(env).filter(([k]) => names === undefined || !names.has(k)));
}

/** True when the operator chose the value of option `key` (on the command line or by its variable), not the default. */
export function chosen(cmd: Pick<Command, "getOptionValueSource">, key: string): boolean {
  const src = cmd.getOptionValueSource(key);
  return src === "cli" || src === "env";
}
