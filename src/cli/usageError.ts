/** Exit code of the CLI when the arguments are wrong. */
export const EXIT_USAGE = 2;

/** Thrown by a command for a bad argument value; the CLI prints it and exits with {@link EXIT_USAGE}. */
export class UsageError extends Error {}
