// Shapes of the objects the emulator serves (Stripe's current API shapes).
import type { Metadata } from './metadata.ts';

export interface PackageDimensions {
  height: number;
  length: number;
  weight: number;
  width: number;
}

export interface Product {
  id: string;
  object: 'product';
  active: boolean;
  created: number;
  default_price: string | null;
  description: string | null;
  images: string[];
  livemode: false;
  marketing_features: { name: string }[];
  metadata: Metadata;
  name: string;
  package_dimensions: PackageDimensions | null;
  shippable: boolean | null;
  statement_descriptor: string | null;
  tax_code: string | null;
  type: 'good' | 'service';
  unit_label: string | null;
  updated: number;
  url: string | null;
}

export type TaxBehavior = 'exclusive' | 'inclusive' | 'unspecified';

export interface CustomUnitAmount {
  maximum: number | null;
  minimum: number | null;
  preset: number | null;
}

export interface CurrencyOption {
  custom_unit_amount: CustomUnitAmount | null;
  tax_behavior: TaxBehavior;
  unit_amount: number | null;
  unit_amount_decimal: string | null;
}

export interface Recurring {
  interval: 'day' | 'week' | 'month' | 'year';
  interval_count: number;
  meter: string | null;
  trial_period_days: null;
  usage_type: 'licensed' | 'metered';
}

export interface Price {
  id: string;
  object: 'price';
  active: boolean;
  billing_scheme: 'per_unit';
  created: number;
  currency: string;
  /** Includable: only rendered when expanded (`expand[]=currency_options`), as Stripe does. Excludes `currency`. */
  currency_options: Record<string, CurrencyOption>;
  custom_unit_amount: CustomUnitAmount | null;
  livemode: false;
  lookup_key: string | null;
  metadata: Metadata;
  nickname: string | null;
  product: string;
  recurring: Recurring | null;
  tax_behavior: TaxBehavior;
  tiers_mode: null;
  transform_quantity: { divide_by: number; round: 'down' | 'up' } | null;
  type: 'one_time' | 'recurring';
  unit_amount: number | null;
  unit_amount_decimal: string | null;
}

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  api_version: string | null;
  application: null;
  created: number;
  description: string | null;
  enabled_events: string[];
  livemode: false;
  metadata: Metadata;
  /** Kept internally for signing; rendered on create only. */
  secret: string;
  status: 'enabled' | 'disabled';
  url: string;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

/** Who made a change: an API request, or a "dashboard" edit through the control API. */
export interface Actor {
  requestId: string | null;
  idempotencyKey: string | null;
  apiVersion: string;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
