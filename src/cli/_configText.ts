/**
 * The text of a node config file: TOML when its name ends in `.toml` (Harmony's Go node is configured
 * in TOML, and TOML has comments), else JSON. Both give the same object with the same field names
 * (_nodeConfig.ts): top-level keys, `[rpc]`, `[shardBootnodes]` with `"0" = [...]`, `[[shardEndpoints]]`.
 */
import { parse as parseTOML, TomlError } from "smol-toml";
import { UsageError } from "./usageError.ts";

/** True for a file name that is read as TOML. */
export function isTOMLFile(file: string): boolean {
  return file.toLowerCase().endsWith(".toml");
}

/**
 * Parse a config file's text by its name.
 * @throws {UsageError} naming the file, the format and (for TOML) the line and column.
 */
export function parseConfigText(file: string, text: string): unknown {
  if (isTOMLFile(file)) {
    try {
      return parseTOML(text);
    } catch (e) {
      if (e instanceof TomlError) throw new UsageError(`config ${file}: cannot be read as TOML: line ${e.line}, column ${e.column}: ${e.message.split("\n")[0]}`);
      throw new UsageError(`config ${file}: cannot be read as TOML: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config ${file}: cannot be read as JSON: ${(e as Error).message}`);
  }
}
