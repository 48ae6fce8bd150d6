// Shared test helpers: an emulator per test, the real Stripe SDK pointed at it, control API calls,
// and assertions on Stripe errors.
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { startEmulator, type EmulatorOptions, type RunningEmulatorWithState } from '../../src/emulator/index.ts';
import { assertErrorBody } from './openapiValidate.ts';

export type Running = RunningEmulatorWithState;

export async function withEmulator(opts: EmulatorOptions, fn: (emu: Running) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ webhookRetry: { maxAttempts: 3, baseDelayMs: 20 }, ...opts });
  try {
    await fn(emu);
  } finally {
    await emu.stop();
  }
}

export function sdk(emu: Running, config: Stripe.StripeConfig = {}, key = 'sk_test_emulator'): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port: emu.port, protocol: 'http', maxNetworkRetries: 0, ...config });
}

export async function control<T = any>(emu: Running, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

export interface ExpectedError {
  cls: new (...args: any[]) => Stripe.errors.StripeError;
  status: number;
  type: string;
  code?: string;
  param?: string;
  message: string | RegExp;
}

/** Awaits a rejected SDK call and checks the SDK class and Stripe's error fields; returns the error. */
export async function expectStripeError(p: Promise<unknown>, e: ExpectedError): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof e.cls, `expected ${e.cls.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    const se = err as Stripe.errors.StripeError;
    assert.equal(se.statusCode, e.status);
    assert.equal(se.rawType, e.type);
    assert.equal(se.code, e.code);
    assert.equal(se.param, e.param);
    if (typeof e.message === 'string') assert.equal(se.message, e.message);
    else assert.match(se.message, e.message);
    assert.match(se.requestId ?? '', /^req_/);
    const raw = se.raw as Record<string, unknown>;
    const body: Record<string, unknown> = { type: raw.type, message: raw.message };
    for (const k of ['code', 'param', 'doc_url', 'request_log_url']) if (raw[k] !== undefined) body[k] = raw[k];
    assertErrorBody({ error: body });
    return se;
  }
  assert.fail('expected the call to fail');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw form request, bypassing the SDK. */
export async function raw(emu: Running, method: string, path: string, form?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: 'Bearer sk_test_raw', ...(form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
