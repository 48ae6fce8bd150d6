// /v1/webhook_endpoints: create (returns the `whsec_` secret once), retrieve, update, list, delete.
import { invalidParam, invalidRequest, missingParam, resourceMissing } from './errors.ts';
import { base62, newId } from './ids.ts';
import { applyMetadata } from './metadata.ts';
import { paginate, readPageParams, type Page } from './pagination.ts';
import { assertKnown, bool, has, str, strArr, type Input } from './params.ts';
import type { Store } from './store.ts';
import { nowSeconds, type WebhookEndpoint } from './types.ts';

/** Stripe's limit of endpoints per test-mode account. */
export const MAX_WEBHOOK_ENDPOINTS = 16;

function readUrl(input: Input): string {
  const url = str(input, 'url');
  if (!url) throw missingParam('url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParam(`Invalid URL: ${url}`, 'url');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalidParam(`Invalid URL: URL must be publicly accessible, and use the http or https scheme. ${url}`, 'url');
  }
  return url;
}

function readEvents(input: Input): string[] {
  const events = strArr(input, 'enabled_events');
  if (!events || events.length === 0) throw missingParam('enabled_events');
  events.forEach((e, i) => {
    if (e !== '*' && !/^[a-z_]+(\.[a-z_*]+)+$/.test(e)) throw invalidParam(`Invalid enabled_events[${i}]: ${e} is not a valid event type`, `enabled_events[${i}]`);
  });
  return [...new Set(events)];
}

export function createWebhookEndpoint(store: Store, input: Input): WebhookEndpoint {
  assertKnown(input, ['api_version', 'connect', 'description', 'enabled_events', 'expand', 'metadata', 'url']);
  const url = readUrl(input);
  const enabled = readEvents(input);
  if (store.webhookEndpoints.size >= MAX_WEBHOOK_ENDPOINTS) {
    throw invalidRequest(`You have reached the maximum of ${MAX_WEBHOOK_ENDPOINTS} test webhook endpoints.`, 'url');
  }
  const endpoint: WebhookEndpoint = {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: str(input, 'api_version') || null,
    application: null,
    created: nowSeconds(),
    description: str(input, 'description') || null,
    enabled_events: enabled,
    livemode: false,
    metadata: applyMetadata({}, (input as Record<string, unknown>).metadata),
    secret: `whsec_${base62(32)}`,
    status: 'enabled',
    url,
  };
  store.insertWebhookEndpoint(endpoint);
  return endpoint;
}

export function getWebhookEndpoint(store: Store, id: string): WebhookEndpoint {
  const w = store.webhookEndpoints.get(id);
  if (!w) throw resourceMissing('webhook_endpoint', id, 'webhook_endpoint');
  return w;
}

export function updateWebhookEndpoint(store: Store, id: string, input: Input): WebhookEndpoint {
  const before = getWebhookEndpoint(store, id);
  assertKnown(input, ['description', 'disabled', 'enabled_events', 'expand', 'metadata', 'url']);
  const next: WebhookEndpoint = { ...before };
  if (has(input, 'url')) next.url = readUrl(input);
  if (has(input, 'enabled_events')) next.enabled_events = readEvents(input);
  if (has(input, 'description')) next.description = str(input, 'description') || null;
  if (has(input, 'metadata')) next.metadata = applyMetadata(before.metadata, (input as Record<string, unknown>).metadata);
  const disabled = bool(input, 'disabled');
  if (disabled !== undefined) next.status = disabled ? 'disabled' : 'enabled';
  store.replaceWebhookEndpoint(next);
  return next;
}

export function deleteWebhookEndpoint(store: Store, id: string): { id: string; object: 'webhook_endpoint'; deleted: true } {
  getWebhookEndpoint(store, id);
  store.removeWebhookEndpoint(id);
  return { id, object: 'webhook_endpoint', deleted: true };
}

export function listWebhookEndpoints(store: Store, input: Input): Page<WebhookEndpoint> {
  assertKnown(input, ['ending_before', 'expand', 'limit', 'starting_after']);
  return paginate(store.webhookEndpoints, 'webhook_endpoint', readPageParams(input));
}

export function endpointWants(endpoint: WebhookEndpoint, type: string): boolean {
  if (endpoint.status !== 'enabled') return false;
  return endpoint.enabled_events.some((e) => e === '*' || e === type || (e.endsWith('.*') && type.startsWith(e.slice(0, -1))));
}
