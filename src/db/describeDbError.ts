// Turns a Postgres error into words naming the field and the fix, by SQLSTATE and constraint name.

interface PgErrorLike {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  message?: string;
  hint?: string;
}

export interface FieldProblem {
  /** The column (or `table.column`) at fault. */
  field: string;
  message: string;
}

/** Every check constraint of the schema, with the field it guards and what to do about it. */
export const constraintMessages: Record<string, FieldProblem> = {
  spaces_name_not_empty: { field: 'name', message: 'name must not be empty: give the space a name.' },
  spaces_name_length: { field: 'name', message: 'name must be at most 250 characters: shorten it.' },
  spaces_description_length: { field: 'description', message: 'description must be at most 5000 characters: shorten it.' },
  spaces_kind_valid: { field: 'kind', message: 'kind must be one of meeting_room, desk, office, venue, other.' },
  spaces_capacity_range: { field: 'capacity', message: 'capacity must be a whole number from 1 to 100000, or empty.' },
  spaces_location_length: { field: 'location', message: 'location must be at most 500 characters: shorten it.' },
  spaces_images_valid: { field: 'images', message: 'images must be at most 8 http(s) URLs of up to 2048 characters each.' },
  spaces_currency_valid: { field: 'currency', message: 'currency must be a lower-case ISO 4217 code that Stripe supports, such as eur or usd.' },
  spaces_metadata_valid: {
    field: 'metadata',
    message: 'metadata must be an object of at most 45 string values, keys of 1 to 40 characters without [ or ], values of at most 500 characters, and none of the keys spacesync sets (space_id, managed_by, kind, capacity, location, pricing_type, space_price_id).',
  },
  spaces_sync_status_valid: { field: 'sync_status', message: 'sync_status must be one of pending, syncing, synced, error, drift.' },
  spaces_stripe_product_id_key: { field: 'stripe_product_id', message: 'stripe_product_id is already used by another space.' },
  space_prices_pricing_type_valid: { field: 'pricing_type', message: 'pricing_type must be one of hourly, half_day, daily, weekly, monthly.' },
  space_prices_unit_amount_range: { field: 'unit_amount', message: "unit_amount must be from 0 to 99999999 (Stripe's maximum, in minor units): lower the amount." },
  space_prices_currency_valid: { field: 'currency', message: 'currency must be a lower-case ISO 4217 code that Stripe supports, such as eur or usd.' },
  space_prices_recurring_interval_valid: { field: 'recurring_interval', message: 'recurring_interval must be day, week, month or year, or empty for a one-time price.' },
  space_prices_recurring_interval_count_range: { field: 'recurring_interval_count', message: 'recurring_interval_count must be at least 1 and the interval at most one year (365 days, 52 weeks, 12 months, 1 year).' },
  space_prices_tax_behavior_valid: { field: 'tax_behavior', message: 'tax_behavior must be inclusive, exclusive or unspecified.' },
  space_prices_currency_options_valid: { field: 'currency_options', message: 'currency_options must map other Stripe currencies to {"unit_amount": 0..99999999}, not repeating the price’s own currency.' },
  space_prices_nickname_length: { field: 'nickname', message: 'nickname must be at most 250 characters: shorten it.' },
  space_prices_lookup_key_valid: { field: 'lookup_key', message: 'lookup_key must be 1 to 200 characters.' },
  space_prices_lookup_key_live_idx: { field: 'lookup_key', message: 'lookup_key is already used by another price: choose another one.' },
  space_prices_stripe_price_id_idx: { field: 'stripe_price_id', message: 'stripe_price_id is already used by another price.' },
  spaces_source_fkey: { field: 'source', message: 'source must name an attached source: run `spacesync attach` with its mapping first.' },
  spaces_source_key_idx: { field: 'source_key', message: 'this source row is already a space: edit that space instead.' },
  spaces_source_key_length: { field: 'source_key', message: 'source_key must be at most 200 characters: use a shorter key column.' },
  spaces_source_key_pair: { field: 'source_key', message: 'source and source_key go together: set both (an attached row) or neither (a native space).' },
  space_prices_source_key_idx: { field: 'source_key', message: 'this rates row is already a price of the space: edit that price instead.' },
  space_prices_source_key_length: { field: 'source_key', message: 'source_key must be at most 200 characters: use a shorter key column.' },
  spacesync_sources_mapping_object: { field: 'mapping', message: 'mapping must be a JSON object: see docs/ATTACH.md for its shape.' },
  spacesync_sources_name_valid: { field: 'name', message: 'a source name is lower-case letters, digits and _, e.g. "rooms".' },
  space_prices_space_id_fkey: { field: 'space_id', message: 'space_id must be the id of an existing space.' },
  application_logs_level_valid: { field: 'level', message: 'level must be debug, info, warn or error.' },
  stripe_events_status_valid: { field: 'status', message: 'status must be received, processed, ignored or failed.' },
  catalog_runs_status_valid: { field: 'status', message: 'status must be queued, planning, planned, applying, done, failed or interrupted.' },
  catalog_runs_applies_plan_fkey: { field: 'plan_id', message: 'plan_id must be the id of an existing catalog plan.' },
  catalog_runs_applies_plan_idx: { field: 'plan_id', message: 'this plan was already applied: compute a new plan to sync again.' },
  catalog_run_outcomes_status_valid: { field: 'status', message: 'an entry outcome status must be done, failed or stale.' },
  catalog_run_outcomes_run_id_fkey: { field: 'run_id', message: 'run_id must be the id of an existing catalog run.' },
  spacesync_changes_kind_valid: { field: 'kind', message: 'kind must be space, catalog_run, log or drift.' },
  space_drift_events_action_valid: { field: 'action', message: 'action must be pending, enforced or adopted.' },
  space_drift_events_space_id_fkey: { field: 'space_id', message: 'space_id must be the id of an existing space.' },
  space_sync_intents_space_id_fkey: { field: 'space_id', message: 'space_id must be the id of an existing space.' },
  space_stripe_ids_space_id_fkey: { field: 'space_id', message: 'space_id must be the id of an existing space.' },
  spacesync_stripe_account_singleton_check: { field: 'singleton', message: 'spacesync_stripe_account holds one row: update it, or call spacesync_use_stripe_account().' },
  users_email_valid: { field: 'email', message: 'email must be an email address of at most 320 characters.' },
  users_role_valid: { field: 'role', message: 'role must be admin or user.' },
  users_email_idx: { field: 'email', message: 'a user with this email already exists.' },
  users_email_key: { field: 'email', message: 'a user with this email already exists.' },
};

/** The field and message for a Postgres error, or undefined when it is not about the data. */
export function describeDbError(error: unknown): FieldProblem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as PgErrorLike;
  if (e.constraint && constraintMessages[e.constraint]) return constraintMessages[e.constraint];
  switch (e.code) {
    case '23502': // not_null_violation
      return { field: e.column ?? 'unknown', message: `${e.column} is required.` };
    case '22P02': // invalid_text_representation (a bad uuid, say)
    case '22003': // numeric_value_out_of_range
    case '22001': // string_data_right_truncation
      return { field: e.column ?? 'unknown', message: e.message ?? 'invalid value' };
    default:
      return undefined;
  }
}
