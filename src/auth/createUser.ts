// Users of the embedded login. Runs on the privileged pool: no API role may read `users`.
import type { Pool } from '../db/pool.ts';
import { canonicalEmail } from './canonicalEmail.ts';
import { generatePassword } from './generatePassword.ts';
import { hashPassword } from './hashPassword.ts';

export interface CreateUserInput {
  email: string;
  /** Omitted: a random one is generated and returned. */
  password?: string;
  admin?: boolean;
  /** PBKDF2 iterations (tests may lower it); default 600,000. */
  iterations?: number;
}

export interface CreatedUser {
  id: string;
  email: string;
  role: 'admin' | 'user';
  /** Only when it was generated: show it once, it is stored hashed. */
  password?: string;
}

export const MIN_PASSWORD_LENGTH = 10;

export async function createUser(pool: Pool, input: CreateUserInput): Promise<CreatedUser> {
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`the password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  const password = input.password ?? generatePassword();
  const hash = await hashPassword(password, input.iterations);
  const role = input.admin ? 'admin' : 'user';
  const { rows } = await pool.query<{ id: string; email: string; role: 'admin' | 'user' }>(
    `insert into public.users (email, password_hash, role) values ($1, $2, $3) returning id, email, role`,
    [canonicalEmail(input.email), hash, role],
  );
  return input.password === undefined ? { ...rows[0], password } : rows[0];
}
