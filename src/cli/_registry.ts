/**
 * The subcommand list. It sits apart from `index.ts` so that the command modules, which register
 * themselves when imported, and the entry point that imports them do not import each other.
 */
import type { Command } from "commander";

/** Adds one subcommand group to the program. */
export type Register = (program: Command) => void;

const COMMANDS: Register[] = [];

/** Add a subcommand group (called by each command module at import). */
export function registerCommand(r: Register): void {
  COMMANDS.push(r);
}

/** The registered subcommand groups, in import order. */
export function registeredCommands(): readonly Register[] {
  return COMMANDS;
}
