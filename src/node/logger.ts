// pino for the Node processes. Secrets never reach a log line: known secret fields are redacted.
import { pino } from 'pino';
import type { Logger } from '../log.ts';

export function createLogger(level: string, name = 'spacesync'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['*.password', '*.password_hash', '*.secret', '*.authorization', '*.headers.authorization', '*.stripeSecretKey', '*.jwtSecret', '*.stripeWebhookSecret', '*.token'],
      censor: '[redacted]',
    },
    transport: process.stdout.isTTY ? { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' } } : undefined,
  });
}
