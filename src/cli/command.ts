// One CLI command: its name, a one-line summary, its --help text and what it does.
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code (0 when omitted). */
  run(args: string[]): Promise<number | void>;
}

/** An error the user can fix: printed without a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
