/**
 * Passphrases for keystores: `--passphrase-file FILE` (its first line), else `HARMONY_PASSPHRASE`, else a
 * prompt on the terminal (no echo); with none available it is a usage error.
 */
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { UsageError } from "./usageError.ts";

/** Read one line from the terminal without echoing it; the prompt goes to stderr so stdout stays data. */
function promptHidden(question: string): Promise<string> {
  let muted = false;
  const echo = new Writable({
    write(chunk: Buffer | string, _enc: string, done: () => void) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: echo, terminal: true });
  return new Promise<string>((resolveLine, reject) => {
    let answered = false;
    rl.once("close", () => {
      if (!answered) reject(new UsageError("no passphrase entered"));
    });
    rl.question(question, (line) => {
      answered = true;
      process.stderr.write("\n");
      rl.close();
      resolveLine(line);
    });
    muted = true;
  });
}

/**
 * The passphrase from `--passphrase-file` (its first line), else `HARMONY_PASSPHRASE`, else the terminal
 * (typed twice when `confirm`).
 * @throws {UsageError} when the file cannot be read, the prompts differ, or there is no source at all.
 */
export async function readPassphrase(opts: { passphraseFile?: string }, how: { prompt: string; confirm?: boolean }): Promise<string> {
  if (opts.passphraseFile !== undefined) {
    let text: string;
    try {
      text = await readFile(opts.passphraseFile, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read --passphrase-file ${opts.passphraseFile}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return text.split(/\r?\n/)[0] ?? "";
  }
  const env = process.env.HARMONY_PASSPHRASE;
  if (env !== undefined) return env;
  if (!process.stdin.isTTY) {
    throw new UsageError("no passphrase: use --passphrase-file FILE or set HARMONY_PASSPHRASE (stdin is not a terminal, so there is no prompt)");
  }
  const first = await promptHidden(how.prompt);
  if (how.confirm && (await promptHidden("Repeat passphrase: ")) !== first) throw new UsageError("the passphrases do not match");
  return first;
}
