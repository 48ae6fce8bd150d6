// Lists every object of a Stripe list endpoint, page by page (limit 100), each page a paced request
// through the gateway. An async generator of pages, so a caller can stream huge catalogs.
import type Stripe from 'stripe';
import type { StripeGateway } from './stripeGateway.ts';

export interface ListParams {
  limit?: number;
  starting_after?: string;
}

export async function* listPages<T extends { id: string }, P extends ListParams>(
  gateway: StripeGateway,
  endpoint: string,
  list: (params: P, options: Stripe.RequestOptions) => Promise<Stripe.Response<Stripe.ApiList<T>>>,
  params: P,
): AsyncGenerator<T[]> {
  let startingAfter: string | undefined;
  for (;;) {
    const page: P = { ...params, limit: params.limit ?? 100, ...(startingAfter ? { starting_after: startingAfter } : {}) };
    const { value } = await gateway.request(endpoint, (o) => list(page, o));
    if (value.data.length > 0) yield value.data;
    if (!value.has_more || value.data.length === 0) return;
    startingAfter = value.data[value.data.length - 1].id;
  }
}

export async function listAll<T extends { id: string }, P extends ListParams>(
  gateway: StripeGateway,
  endpoint: string,
  list: (params: P, options: Stripe.RequestOptions) => Promise<Stripe.Response<Stripe.ApiList<T>>>,
  params: P,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of listPages(gateway, endpoint, list, params)) all.push(...page);
  return all;
}
