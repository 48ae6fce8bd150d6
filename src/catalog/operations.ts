/**
 * The operations a plan is made of: one Stripe call each, in order. Params are the SDK's request
 * params except that ids created earlier in the same plan are symbolic refs, resolved by the
 * executor from the snapshot it keeps up to date with applyResult (see resolveOperation).
 */
import type { Recurring } from './desiredState.ts';
import type { StringMap } from './metadata.ts';
import type { CurrencyOptions, TaxBehavior } from './types.ts';

/** The product created earlier in this plan. */
export interface ProductRef {
  ref: 'product';
}
/** The price created earlier in this plan for row `<rowId>`. */
export interface PriceRef {
  ref: `price:${string}`;
}
export type IdRef = string | ProductRef | PriceRef;

export function priceRef(rowId: string): PriceRef {
  return { ref: `price:${rowId}` };
}
export const PRODUCT_REF: ProductRef = { ref: 'product' };

/** `default_price_data` of products.create: no lookup_key, no nickname (Stripe does not take them there). */
export interface DefaultPriceDataParams {
  currency: string;
  unit_amount: number;
  recurring?: Recurring;
  tax_behavior: TaxBehavior;
  currency_options?: CurrencyOptions;
  metadata: StringMap;
}

export interface CreateProductParams {
  /** The space's deterministic id (productIdFor): a lost product id cannot lead to a duplicate. */
  id?: string;
  name: string;
  description?: string;
  images?: string[];
  metadata: StringMap;
  default_price_data?: DefaultPriceDataParams;
}

export interface UpdateProductParams {
  name?: string;
  /** '' unsets. */
  description?: string;
  /** '' unsets all images. */
  images?: string[] | '';
  active?: boolean;
  /** Merged by Stripe: '' values unset keys. */
  metadata?: StringMap;
  /** '' unsets the default price (needed before archiving it). */
  default_price?: string | PriceRef | '';
}

export interface CreatePriceParams {
  product: string | ProductRef;
  currency: string;
  unit_amount: number;
  recurring?: Recurring;
  tax_behavior: TaxBehavior;
  currency_options?: CurrencyOptions;
  nickname?: string;
  lookup_key?: string;
  /** Always sent with lookup_key: takes the key from whichever price holds it (an old price, a lost one). */
  transfer_lookup_key?: true;
  metadata: StringMap;
}

/** Only what Stripe lets us change on a price. */
export interface UpdatePriceParams {
  active?: boolean;
  metadata?: StringMap;
  /** '' unsets. */
  nickname?: string;
  lookup_key?: string;
  transfer_lookup_key?: true;
  /** Only from 'unspecified'; any other change is a reprice. */
  tax_behavior?: TaxBehavior;
  /** '' removes all extra currencies. */
  currency_options?: CurrencyOptions | '';
}

export type Operation =
  | {
      kind: 'create_product';
      /** Row whose price is created through default_price_data, if any. */
      defaultRowId: string | null;
      params: CreateProductParams;
    }
  | { kind: 'update_product'; productId: string; params: UpdateProductParams }
  | {
      /** products.update with active:false (and default_price:'' when one is set). */
      kind: 'archive_product';
      productId: string;
      params: UpdateProductParams & { active: false };
    }
  | {
      kind: 'create_price';
      rowId: string;
      /** The price this one replaces (a reprice), archived later in the plan when still active. */
      replacesPriceId: string | null;
      params: CreatePriceParams;
    }
  | { kind: 'update_price'; rowId: string | null; priceId: string | PriceRef; params: UpdatePriceParams }
  | { kind: 'archive_price'; rowId: string | null; priceId: string; params: { active: false } };

export type OperationKind = Operation['kind'];

export const OPERATION_KINDS: readonly OperationKind[] = [
  'create_product',
  'update_product',
  'archive_product',
  'create_price',
  'update_price',
  'archive_price',
];

/** Which SDK method an operation is: `stripe[resource][method](...)`. */
export const OPERATION_CALLS: Readonly<
  Record<OperationKind, { resource: 'products' | 'prices'; method: 'create' | 'update' }>
> = {
  create_product: { resource: 'products', method: 'create' },
  update_product: { resource: 'products', method: 'update' },
  archive_product: { resource: 'products', method: 'update' },
  create_price: { resource: 'prices', method: 'create' },
  update_price: { resource: 'prices', method: 'update' },
  archive_price: { resource: 'prices', method: 'update' },
};

/** The row an operation is about, if any (part of the idempotency key). */
export function operationRowId(op: Operation): string | null {
  switch (op.kind) {
    case 'create_price':
    case 'update_price':
    case 'archive_price':
      return op.rowId;
    default:
      return null;
  }
}
