-- Internal functions are for our triggers, not for API callers. `revoke ... from public` is not
-- enough on Supabase: the default privileges of its schema public grant EXECUTE on every new function
-- to anon and authenticated by name, and PostgREST exposes every function they can execute as
-- /rest/v1/rpc/<name>. So the grants are revoked from those roles by name too (a no-op elsewhere).
-- API callers keep: is_admin(), the check-constraint and content helpers (pure), and the RPCs
-- sync_space_with_stripe, sync_catalog_with_stripe, start_catalog_run, resolve_space_drift.

-- Security definer helpers that enqueue jobs or bump versions: only our security definer triggers call them.
revoke all on function public.spacesync_enqueue_sync(uuid) from public, anon, authenticated;
revoke all on function public.spacesync_bump_space(uuid) from public, anon, authenticated;

-- Status notifications feed the live stream; a caller must not be able to send fake ones. The
-- triggers that send them now run as the owner, so callers need no right on the function.
alter function public.tg_spaces__notify_status() security definer set search_path = pg_catalog, public;
alter function public.tg_catalog_runs__notify_status() security definer set search_path = pg_catalog, public;
alter function public.tg_application_logs__notify_status() security definer set search_path = pg_catalog, public;
revoke all on function public.spacesync_notify_status(text, jsonb) from public, anon, authenticated;
