// pino for the Node processes. Log lines go to stderr, so that a command's stdout holds only what
// it prints for the user (`catalog plan --json | jq`). Secrets never reach a log line: known secret
// fields are redacted.
import { pino } from 'pino';
import type { Logger } from '../log.ts';

export function createLogger(level: string, name = 'spacesync'): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: ['*.password', '*.password_hash', '*.secret', '*.authorization', '*.headers.authorization', '*.stripeSecretKey', '*.jwtSecret', '*.stripeWebhookSecret', '*.token'],
      censor: '[redacted]',
    },
  };
  if (process.stderr.isTTY) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l', destination: 2 } },
    });
  }
  return pino(options, pino.destination({ fd: 2, sync: true }));
}
