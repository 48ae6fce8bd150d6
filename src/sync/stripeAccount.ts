// Which Stripe account and mode the stored ids belong to. Every process that talks to Stripe for the
// catalog (worker, `catalog plan|sync`, `sync <id>`) first names the account of its key here: the
// account id from GET /v1/account, the mode from the key (sk_live_/rk_live_: live; anything else:
// test). A key of another account or mode than the ids were made in puts those ids aside and brings
// back the new account's own (spacesync_use_stripe_account, migration 000042): the catalog is then
// planned as new in that account, never with the other account's ids.
import type Stripe from 'stripe';
import type { Queryable } from './appLog.ts';
import type { StripeGateway } from '../stripe/stripeGateway.ts';
import type { Logger } from '../log.ts';

export type StripeMode = 'test' | 'live';

export interface AccountSwitch {
  /** `<account id>/<mode>`, `*` for the id when Stripe did not say. */
  account: string;
  previous: string | null;
  switched: boolean;
  /** Spaces whose ids were put aside / brought back. */
  parked?: number;
  restored?: number;
  /** Live spaces with no object in this account yet. */
  without_ids?: number;
}

export function modeOfKey(secretKey: string | undefined): StripeMode {
  return secretKey && /^(sk|rk)_live_/.test(secretKey) ? 'live' : 'test';
}

/** `acct_123/live`; `*\/live` when the account cannot be read (a restricted key without the right). */
export async function stripeAccountName(gateway: StripeGateway, mode: StripeMode, log?: Logger): Promise<string> {
  try {
    const { value } = await gateway.request<Stripe.Account>('GET /v1/account', (o) => gateway.stripe.accounts.retrieveCurrent(undefined, o));
    return `${value.id}/${mode}`;
  } catch (error) {
    log?.warn({ err: error }, 'could not read the Stripe account of the key; telling accounts apart by mode only');
    return `*/${mode}`;
  }
}

export async function useStripeAccount(db: Queryable, account: string): Promise<AccountSwitch> {
  const { rows } = await db.query(`select public.spacesync_use_stripe_account($1) as result`, [account]);
  return rows[0].result as AccountSwitch;
}

/** Names the key's account and switches the stored ids to it when needed; logs a switch. */
export async function ensureStripeAccount(db: Queryable, gateway: StripeGateway, mode: StripeMode, log?: Logger): Promise<AccountSwitch> {
  const result = await useStripeAccount(db, await stripeAccountName(gateway, mode, log));
  if (result.switched) {
    log?.warn(
      { account: result.account, previous: result.previous, parked: result.parked, restored: result.restored, withoutIds: result.without_ids },
      `Stripe account changed from ${result.previous} to ${result.account}: the ids of ${result.previous} are kept aside; ${result.without_ids} space(s) have no objects in this account yet`,
    );
  }
  return result;
}

/** "acct_123 (live mode)" */
export function describeAccount(account: string): string {
  const [id, mode] = account.split('/');
  return `${id === '*' ? 'the key\'s account' : id} (${mode} mode)`;
}
