-- Write-ahead record of the Stripe create calls the sync is about to send (the sync engine's own
-- request history). A create is recorded here, in its own transaction, before it is sent, and removed
-- in the transaction that stores the id Stripe returned. A sync that finds a record left behind (the
-- worker died between Stripe's answer and our commit) first resends that exact call with its original
-- idempotency key: Stripe replays its answer, so the object is adopted, never duplicated, even when
-- the space was edited meanwhile (another version, other parameters, another key) and even though
-- Stripe's search would not show the object for up to a minute. Past 23 hours (Stripe keeps keys at
-- least 24), the record is dropped and the sync looks for the object in Stripe instead.
create table public.space_sync_intents (
  space_id uuid primary key references public.spaces (id) on delete cascade,
  operation text not null,
  idempotency_key text not null,
  -- The Operation (src/catalog/operations.ts) and the resolved SDK call, as sent.
  op jsonb not null,
  call jsonb not null,
  version bigint not null,
  created_at timestamptz not null default now()
);

alter table public.space_sync_intents enable row level security;
grant select on public.space_sync_intents to authenticated;
grant all on public.space_sync_intents to service_role;
create policy space_sync_intents_admin_read on public.space_sync_intents for select to authenticated
  using (public.is_admin());
