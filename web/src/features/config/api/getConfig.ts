// GET /api/config: Stripe mode, the dashboard URL for product links, the drift policy.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';

export interface AppConfig {
  stripeMode: 'live' | 'test' | 'emulator';
  stripeDashboardUrl: string;
  driftPolicy: string;
}

export function getConfig(signal?: AbortSignal): Promise<AppConfig> {
  return apiRequest<AppConfig>('/config', { signal });
}

export const getConfigOptions = queryOptions({ queryKey: ['config'], queryFn: ({ signal }) => getConfig(signal), staleTime: Infinity });

export function useConfig() {
  return useQuery(getConfigOptions);
}

/** The Stripe dashboard page of a product. */
export function productUrl(config: AppConfig | undefined, productId: string): string | null {
  if (!config?.stripeDashboardUrl) return null;
  return `${config.stripeDashboardUrl.replace(/\/$/, '')}/products/${encodeURIComponent(productId)}`;
}
