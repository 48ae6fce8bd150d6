// Browser tests' helpers: Debian's Chromium through playwright-core (skipped with a reason when it
// is absent), the stack and the browser started and stopped around a describe block, a signed-in page
// on the stack's API (which serves the built UI), the emulator's control
// API, screenshots (to test-results/screenshots; to docs/screenshots, the README's, only with
// SPACESYNC_UPDATE_SCREENSHOTS=1) and waits on what the UI shows.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWebIfStale } from '../../scripts/buildWebIfStale.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

export const CHROMIUM_PATH = process.env.SPACESYNC_CHROMIUM ?? '/usr/bin/chromium';

/** `false` when Chromium is there, else the reason the browser tests are skipped. */
export const noChromium: false | string = existsSync(CHROMIUM_PATH)
  ? false
  : `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set SPACESYNC_CHROMIUM)`;

export const VIEWPORT = { width: 1440, height: 900 };
/** The phone the UI is tested on (an iPhone 12–15's CSS viewport). */
export const PHONE = { width: 390, height: 844 };
export const VIEWPORTS = { desktop: VIEWPORT, phone: PHONE } as const;
/** Where screenshots go: the README's images only when asked for, so a test run leaves the git tree clean. */
export const screenshotsDir =
  process.env.SPACESYNC_UPDATE_SCREENSHOTS === '1'
    ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots')
    : join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  // The API serves web/dist: make sure it is current (a no-op when it is).
  await buildWebIfStale({ quiet: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export interface BrowserStack {
  readonly stack: Stack;
  readonly browser: Browser;
}

/**
 * The stack and Chromium for the tests of the describe block this is called in: started before
 * them, stopped after them (not at all when the block is skipped). Read `stack` and `browser` in
 * hooks and tests, once they have started.
 */
export function browserStack(): BrowserStack {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });
  const notYet = (what: string) => new Error(`browserStack().${what} is read before the describe block's before hook started it`);
  return {
    get stack() {
      if (!stack) throw notYet('stack');
      return stack;
    },
    get browser() {
      if (!browser) throw notYet('browser');
      return browser;
    },
  };
}

export interface StackLike {
  apiUrl: string;
  emulatorUrl: string;
  adminToken: string;
  adminEmail: string;
  adminPassword: string;
}

/** A page already signed in as the stack's admin (token in localStorage), in `locale`. */
export async function adminPage(
  browser: Browser,
  stack: StackLike,
  options: { locale?: 'en' | 'fr'; signedIn?: boolean; viewport?: { width: number; height: number }; /** The browser's own locale, when not the UI's. */ browserLocale?: string } = {},
): Promise<Page> {
  const phone = options.viewport !== undefined && options.viewport.width < 640;
  const context = await browser.newContext({
    viewport: options.viewport ?? VIEWPORT,
    isMobile: phone,
    hasTouch: phone,
    locale: options.browserLocale ?? (options.locale === 'fr' ? 'fr-FR' : 'en-GB'),
    timezoneId: 'Europe/Paris',
  });
  const token = options.signedIn === false ? null : stack.adminToken;
  // tsx (esbuild keepNames) wraps named functions of page.evaluate callbacks in __name(): define it.
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  await context.addInitScript(
    ([t, locale]) => {
      if (sessionStorage.getItem('spacesync.test.init')) return; // only before the first load
      sessionStorage.setItem('spacesync.test.init', '1');
      localStorage.setItem('spacesync.locale', locale as string);
      if (t) {
        localStorage.setItem('spacesync.token', t);
        localStorage.setItem('spacesync.user', JSON.stringify({ id: 'admin', email: 'admin', role: 'admin' }));
      } else {
        localStorage.removeItem('spacesync.token');
      }
    },
    [token, options.locale ?? 'en'] as const,
  );
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  return page;
}

/** Runs `fn` with a page of its own (as adminPage opens it), closed after it whatever happens. */
export async function withAdminPage<T>(
  browser: Browser,
  stack: StackLike,
  options: Parameters<typeof adminPage>[2],
  fn: (page: Page) => Promise<T>,
): Promise<T> {
  const page = await adminPage(browser, stack, options);
  try {
    return await fn(page);
  } finally {
    await page.context().close();
  }
}

/** Counts the requests the page sends to the API (the live stream excepted) from now on. */
export function countApiRequests(page: Page): { readonly requests: string[]; reset(): void } {
  const requests: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/') && url.pathname !== '/api/stream') requests.push(`${request.method()} ${url.pathname}`);
  });
  return { requests, reset: () => void requests.splice(0) };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * Runs axe-core (WCAG 2.x A and AA, and best practices) on the page as it is now and fails with every
 * violation, named with its nodes. Injected through the DevTools protocol, so the page's CSP
 * (`script-src 'self'`) stays as it is.
 */
export async function assertAccessible(page: Page, state: string): Promise<void> {
  await page.waitForTimeout(150); // let transitions settle (colour contrast is measured on what is drawn)
  const has = await page.evaluate('typeof window.axe === "object"');
  if (!has) await page.evaluate(axeSource);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`)) as AxeViolation[];
  if (violations.length > 0) {
    const text = violations.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(0, 2).join(' ')}`).join('\n')}`).join('\n');
    throw new Error(`axe found ${violations.length} violation(s) in "${state}":\n${text}`);
  }
}

/** The page fits its viewport's width: nothing scrolls sideways. */
export async function assertFitsWidth(page: Page, state: string): Promise<void> {
  const { scroll, width } = await page.evaluate('({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })') as { scroll: number; width: number };
  if (scroll > width) throw new Error(`"${state}" is ${scroll} px wide in a ${width} px viewport`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  // Let toasts and transitions settle, then a viewport-sized capture (1280×800).
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), animations: 'disabled' });
}

/** The row of a space in the spaces table. */
export function spaceRow(page: Page, spaceId: string) {
  return page.locator(`[data-space-id="${spaceId}"]`);
}

export async function waitForStatus(page: Page, spaceId: string, status: string, timeout = 30_000): Promise<void> {
  await page.waitForSelector(`[data-space-status="${spaceId}"][data-sync-status="${status}"]`, { timeout });
}

/** Polls `fn` until it returns a truthy value; fails with `what` after `timeout` ms. */
export async function eventually<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`, { cause: last });
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The emulator's control API (src/emulator/control.ts).
export interface EmulatorProduct {
  id: string;
  name: string;
  active: boolean;
  default_price: string | null;
  metadata: Record<string, string>;
}
export interface EmulatorPrice {
  id: string;
  product: string;
  active: boolean;
  unit_amount: number | null;
  currency: string;
  lookup_key: string | null;
  recurring: { interval: string; interval_count: number } | null;
}

async function control<T>(emulatorUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emulatorUrl}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator ${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export const emulator = {
  state: (url: string) => control<{ products: EmulatorProduct[]; prices: EmulatorPrice[] }>(url, 'GET', 'state'),
  faults: (url: string, body: unknown) => control<unknown>(url, 'POST', 'faults', body),
  dashboardUpdateProduct: (url: string, id: string, body: Record<string, unknown>) => control<EmulatorProduct>(url, 'POST', `dashboard/products/${encodeURIComponent(id)}`, body),
};

export async function productOfSpace(emulatorUrl: string, spaceId: string) {
  const state = await emulator.state(emulatorUrl);
  const product = state.products.find((p) => p.metadata.space_id === spaceId && p.active) ?? null;
  const prices = product ? state.prices.filter((p) => p.product === product.id) : [];
  return { product, prices };
}
