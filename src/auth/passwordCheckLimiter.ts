// A cap on the password checks (PBKDF2, 600,000 rounds: tens of milliseconds of a CPU core each) that
// run at once in this process, so a flood of logins cannot starve every other request. Up to
// `concurrency` run, up to `queue` more wait their turn; beyond that the caller is told to come back.

export class PasswordChecksBusyError extends Error {
  override name = 'PasswordChecksBusyError';
}

export interface PasswordCheckLimiter {
  /** Runs `fn` when a slot is free; throws PasswordChecksBusyError at once when the queue is full. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
  /** True when a call to run() now would be refused: a cheap check before any other work. */
  readonly full: boolean;
}

export function createPasswordCheckLimiter(options: { concurrency?: number; queue?: number } = {}): PasswordCheckLimiter {
  const concurrency = options.concurrency ?? 1;
  const queueMax = options.queue ?? 8;
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  return {
    async run(fn) {
      if (running >= concurrency) {
        if (waiting.length >= queueMax) throw new PasswordChecksBusyError('too many password checks are running: try again in a moment');
        // The slot is handed over by release(): `running` stays the same.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
    get full() {
      return running >= concurrency && waiting.length >= queueMax;
    },
  };
}
