// JWT_SECRET when set; otherwise a random secret generated once and kept in DATA_DIR/jwt-secret
// (mode 0600), so tokens survive restarts of the embedded setup.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';

export function resolveJwtSecret(config: Pick<Config, 'jwtSecret'>, dataDir: string): string {
  if (config.jwtSecret) return config.jwtSecret;
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
