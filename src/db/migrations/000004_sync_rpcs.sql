-- RPCs that ask for a sync now. Admins only; anyone else is told so in words.

create function public.sync_space_with_stripe(space_id uuid) returns bigint
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    job_id bigint;
  begin
    if not public.is_admin() then
      raise exception 'only an admin can sync a space with Stripe'
        using errcode = 'insufficient_privilege',
              hint = 'Sign in with an account whose app_metadata.role is admin.';
    end if;
    if not exists (select 1 from public.spaces s where s.id = sync_space_with_stripe.space_id) then
      raise exception 'no space has the id %', space_id
        using errcode = 'no_data_found', hint = 'Check the space_id argument.';
    end if;
    select (graphile_worker.add_job(
      'sync_space',
      json_build_object('space_id', sync_space_with_stripe.space_id, 'force', true),
      job_key => 'sync_space:' || sync_space_with_stripe.space_id::text,
      max_attempts => 25
    )).id into job_id;
    return job_id;
  end
  $$;

create function public.sync_catalog_with_stripe(dry_run boolean default true) returns bigint
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    run_id uuid;
    job_id bigint;
  begin
    if not public.is_admin() then
      raise exception 'only an admin can sync the catalog with Stripe'
        using errcode = 'insufficient_privilege',
              hint = 'Sign in with an account whose app_metadata.role is admin.';
    end if;
    if dry_run is null then
      raise exception 'dry_run must be true (plan only) or false (apply)'
        using errcode = 'null_value_not_allowed';
    end if;
    insert into public.catalog_runs (dry_run, requested_by)
      values (sync_catalog_with_stripe.dry_run, auth.uid())
      returning id into run_id;
    select (graphile_worker.add_job(
      'sync_catalog',
      json_build_object('run_id', run_id, 'dry_run', sync_catalog_with_stripe.dry_run),
      max_attempts => 5
    )).id into job_id;
    return job_id;
  end
  $$;

revoke all on function public.sync_space_with_stripe(uuid) from public;
revoke all on function public.sync_catalog_with_stripe(boolean) from public;
grant execute on function public.sync_space_with_stripe(uuid) to anon, authenticated, service_role;
grant execute on function public.sync_catalog_with_stripe(boolean) to anon, authenticated, service_role;
