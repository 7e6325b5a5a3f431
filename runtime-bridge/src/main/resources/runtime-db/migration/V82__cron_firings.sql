-- app.json's cron entries (issue 27). Each time an entry comes due, the replica that first claims
-- the firing (app, entry, due time) runs it; the primary key makes that claim exactly once across
-- replicas and restarts. A firing is either a run (run_id, an app_run row) or skipped (reason:
-- the entry's previous run still ran).
create table cron_firing (
  app_id   text        not null,
  entry_id text        not null,
  due_at   timestamptz not null,
  schedule text        not null,
  run_id   text,
  skipped  text,
  primary key (app_id, entry_id, due_at)
);

-- A run's origin: null for a developer's one-off run, else the cron entry and the time it was due.
alter table app_run add column cron_entry text;
alter table app_run add column cron_due timestamptz;
create index app_run_cron_running on app_run (app_id, cron_entry) where finished_at is null;
