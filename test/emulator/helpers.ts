// Shared test helpers: an emulator per test, the real Stripe SDK pointed at it, control API calls,
// and assertions on Stripe errors.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { startEmulator, type EmulatorOptions, type RunningEmulatorWithState } from '../../src/emulator/index.ts';
import { assertErrorBody, responseProblems } from './openapiValidate.ts';

export type Running = RunningEmulatorWithState;

/**
 * Taps every `/v1` response the emulator sends and checks its body against the OpenAPI spec
 * (success bodies against the operation's schema, errors against `error`). Returns the problems.
 */
export function watchResponses(emu: Running): { problems: string[]; checked: () => number } {
  const problems: string[] = [];
  let checked = 0;
  emu.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (!path.startsWith('/v1/')) return;
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown) => {
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') keep(chunk);
      return end(chunk, ...rest);
    }) as typeof res.end;
    res.once('finish', () => {
      if (chunks.length === 0) return; // dropped / timed-out by an injected fault
      checked++;
      problems.push(...responseProblems(req.method ?? 'GET', path, res.statusCode, Buffer.concat(chunks).toString('utf8')));
    });
  });
  return { problems, checked: () => checked };
}

/** An emulator for one test; every `/v1` response it sends meanwhile must match the OpenAPI spec. */
export async function withEmulator(opts: EmulatorOptions, fn: (emu: Running) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ webhookRetry: { maxAttempts: 3, baseDelayMs: 20 }, ...opts });
  const watch = watchResponses(emu);
  try {
    await fn(emu);
  } finally {
    await emu.stop();
  }
  assert.deepEqual(watch.problems, [], `responses that do not match the OpenAPI spec:\n${watch.problems.slice(0, 20).join('\n')}`);
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
