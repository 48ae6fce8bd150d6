// The sync toast of the admin UI (web/src/features/spaces/trackSync.ts), without a browser: when the
// stream says nothing and the fallback fetch of the space fails too, the loading toast must still
// settle, with a message saying the status is unknown and why; a late stream event then replaces it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { trackSync } from '../../web/src/features/spaces/trackSync.ts';
import { recordSpaceEvent } from '../../web/src/features/stream/syncWatch.ts';
import { createI18n } from '../../web/src/i18n/useI18n.tsx';
import { ApiError } from '../../web/src/lib/api.ts';
import { eventually } from './browser.ts';

function toastOf(id: string) {
  return toast.getToasts().find((t) => t.id === id) as { type?: string; title?: unknown; description?: unknown } | undefined;
}

describe('trackSync', () => {
  it('settles the loading toast with a clear message when the fallback fetch fails', async () => {
    const i18n = createI18n('en', () => {});
    let fetches = 0;
    const queryClient = {
      fetchQuery: () => {
        fetches++;
        return Promise.reject(new ApiError(0, 'network', 'Failed to fetch'));
      },
    } as unknown as QueryClient;
    const space = { id: 'space-fallback-1', name: 'Atelier', version: 3, sync_status: 'syncing' as const, synced_version: 2 };
    trackSync({ space, since: performance.now(), minVersion: 3, message: 'Saving…', i18n, queryClient, fallbackMs: 20 });
    assert.equal(toastOf('sync-space-fallback-1')?.type, 'loading');

    const settled = await eventually('the toast settled', async () => {
      const t = toastOf('sync-space-fallback-1');
      return t && t.type !== 'loading' ? t : null;
    }, 5_000);
    assert.equal(fetches, 1);
    assert.equal(settled.type, 'warning');
    assert.equal(settled.title, 'Could not get the sync status of “Atelier”');
    assert.match(String(settled.description), /The server could not be reached/);

    // The stream comes back with the outcome: the toast says so.
    recordSpaceEvent({ id: space.id, sync_status: 'synced', version: 3, synced_version: 3, last_error: null, last_synced_at: new Date().toISOString(), stripe_product_id: 'prod_1', sync_attempt: 1 });
    assert.equal(toastOf('sync-space-fallback-1')?.type, 'success');
    assert.equal(toastOf('sync-space-fallback-1')?.title, '“Atelier” is in sync with Stripe.');
  });
});
