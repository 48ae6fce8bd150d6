// The shared catalog core the UI uses (src/catalog), imported file by file so the main bundle does
// not carry the validation schemas (and zod): those come through lib/validation.ts, which only the
// lazily loaded space form imports.
export { PRICING_TYPES, RECURRING_INTERVALS, SPACE_KINDS, SYNC_STATUSES, TAX_BEHAVIORS, MAX_INTERVAL_COUNT } from '../../../src/catalog/types.ts';
export type { RecurringInterval, SyncStatus, TaxBehavior } from '../../../src/catalog/types.ts';
export { STRIPE_CURRENCIES, ZERO_DECIMAL_CURRENCIES, currencyDecimals, fromMinorUnits, toMinorUnits } from '../../../src/catalog/currencies.ts';
export { formatMessage } from '../../../src/catalog/messages.ts';
export type { ErrorCode, Locale, MessageVars } from '../../../src/catalog/messages.ts';
export { CATALOG_ENTRY_KINDS } from '../../../src/catalog/planCatalog.ts';
export type { CatalogEntryKind } from '../../../src/catalog/planCatalog.ts';
export type { Change, ChangeValue } from '../../../src/catalog/describeChanges.ts';
