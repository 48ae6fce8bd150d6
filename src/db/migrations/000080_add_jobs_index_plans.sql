-- graphile_worker.add_jobs first clears the key of locked jobs with
--   update _private_jobs ... from unnest(specs) where jobs.key = spec.job_key and is_available is not true
-- Planned while the jobs table looks small (a fresh or just-truncated table, or before autovacuum's
-- next analyze), that is a sequential scan of every pending job, and the plan stays cached in each
-- session: during a burst of webhooks, the jobs table grows faster than it is analysed and every
-- enqueue gets slower with each job still pending. Planning add_jobs without sequential scans keeps
-- it on the unique index of `key` (constant time whatever the queue length). A later graphile-worker
-- migration that replaces add_jobs drops this setting: it only costs speed, never correctness.
do $$
begin
  if to_regprocedure('graphile_worker.add_jobs(graphile_worker.job_spec[], boolean)') is not null then
    alter function graphile_worker.add_jobs(graphile_worker.job_spec[], boolean) set enable_seqscan = off;
  end if;
end
$$;
