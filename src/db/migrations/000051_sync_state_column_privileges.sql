-- What the sync keeps about a space for itself (the last error, the attempt count, the Stripe
-- snapshot, the drift report) is for admins. Row level security cannot hide columns, and on Supabase
-- PostgREST hands the table to anon as it is: so the API roles may select only the catalog columns,
-- and admins read the rest through `space_sync_details`, a view that returns rows to admins only.

revoke select on public.spaces from anon, authenticated;
grant select (
  id, name, description, kind, capacity, location, images, currency, active, metadata,
  created_at, updated_at, deleted_at, version,
  stripe_product_id, sync_status, synced_version, last_synced_at
) on public.spaces to anon, authenticated;

-- Runs with its owner's rights (a view is not security_invoker), filtered by the caller's claims.
create view public.space_sync_details with (security_barrier) as
  select s.id as space_id, s.last_error, s.sync_attempt, s.drift, s.stripe_snapshot
    from public.spaces s
   where public.is_admin();

-- Granted to every API role (a query may join it whoever asks): it is empty unless the caller is an admin.
revoke all on public.space_sync_details from public, anon, authenticated;
grant select on public.space_sync_details to anon, authenticated, service_role;
