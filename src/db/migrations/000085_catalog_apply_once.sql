-- A catalog plan is applied once. An apply run names the plan it applies (`applies_plan`, unique),
-- and apply_catalog_plan() refuses a plan that is already applied, not computed yet, or not a plan,
-- saying which. While a run applies, `outcomes` holds each entry's result as it comes:
-- {"<space id, or product id of an orphan>": {"status": "done" | "failed", "error": "<Stripe's message>"}};
-- entries not in it are still pending. `apply_started_at` is when applying began (what the time left
-- is estimated from).
--
-- Catalog runs take turns: their jobs share the graphile-worker queue `spacesync_catalog`, so a run
-- started while another plans or applies stays `queued` until that one ends.

alter table public.catalog_runs add column applies_plan uuid references public.catalog_runs (id) on delete set null;
alter table public.catalog_runs add column outcomes jsonb not null default '{}'::jsonb;
alter table public.catalog_runs add column apply_started_at timestamptz;

create unique index catalog_runs_applies_plan_idx on public.catalog_runs (applies_plan) where applies_plan is not null;

-- The run's job: in the catalog queue, carrying the plan it applies (informational).
create function public.spacesync_enqueue_catalog_run(run_id uuid, dry_run boolean, plan_id uuid) returns bigint
  language sql volatile security definer
  set search_path = pg_catalog, public
  as $$
    select (graphile_worker.add_job(
      'sync_catalog',
      json_build_object('run_id', run_id, 'dry_run', dry_run, 'plan_id', plan_id),
      queue_name => 'spacesync_catalog',
      max_attempts => 5
    )).id
  $$;

revoke all on function public.spacesync_enqueue_catalog_run(uuid, boolean, uuid) from public, anon, authenticated;

-- Same contract as in migration 000010; the job now goes to the catalog queue.
create or replace function public.start_catalog_run(dry_run boolean) returns jsonb
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    run_id uuid;
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
      values (start_catalog_run.dry_run, auth.uid())
      returning id into run_id;
    return jsonb_build_object('run_id', run_id, 'job_id', public.spacesync_enqueue_catalog_run(run_id, start_catalog_run.dry_run, null));
  end
  $$;

-- Applies the plan `plan_id` (a finished dry run): {run_id, job_id} of the apply run. Admins only.
-- A plan already applied, still computing, failed, or an apply run itself: object_not_in_prerequisite_state.
create function public.apply_catalog_plan(plan_id uuid) returns jsonb
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    p public.catalog_runs;
    applied_by uuid;
    run_id uuid;
  begin
    if not public.is_admin() then
      raise exception 'only an admin can sync the catalog with Stripe'
        using errcode = 'insufficient_privilege',
              hint = 'Sign in with an account whose app_metadata.role is admin.';
    end if;
    -- Locked: two applies of one plan at once take turns, and the second is refused.
    select * into p from public.catalog_runs r where r.id = apply_catalog_plan.plan_id for update;
    if not found then
      raise exception 'no catalog plan has the id %', plan_id
        using errcode = 'no_data_found', hint = 'Compute a plan (a dry run) first.';
    end if;
    if not p.dry_run then
      raise exception 'catalog run % applies a plan; it is not a plan', plan_id
        using errcode = 'object_not_in_prerequisite_state', hint = 'Apply the plan (dry run) it came from, or compute a new one.';
    end if;
    if p.status <> 'planned' then
      raise exception 'the plan % is %, not planned: only a computed plan can be applied', plan_id, p.status
        using errcode = 'object_not_in_prerequisite_state', hint = 'Wait for the plan to be computed, or compute a new one.';
    end if;
    select r.id into applied_by from public.catalog_runs r where r.applies_plan = p.id;
    if found then
      raise exception 'the plan % was already applied (run %)', plan_id, applied_by
        using errcode = 'object_not_in_prerequisite_state', hint = 'Compute a new plan to sync again.';
    end if;
    insert into public.catalog_runs (dry_run, requested_by, applies_plan)
      values (false, auth.uid(), p.id)
      returning id into run_id;
    return jsonb_build_object('run_id', run_id, 'job_id', public.spacesync_enqueue_catalog_run(run_id, false, p.id));
  end
  $$;

revoke all on function public.apply_catalog_plan(uuid) from public;
grant execute on function public.apply_catalog_plan(uuid) to anon, authenticated, service_role;
