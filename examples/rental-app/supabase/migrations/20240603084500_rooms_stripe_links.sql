-- The booking page links to Stripe: the room's product and its default price, filled in by spacesync
-- (the write-back of its mapping). Hosts edit their rooms' other columns only.
alter table public.rooms
  add column stripe_product_id text,
  add column stripe_price_id text;

revoke update on public.rooms from anon, authenticated;
grant update (title, summary, city, seats, photo_urls, hourly_rate, daily_rate, is_published, deleted_at)
  on public.rooms to authenticated;
