-- A developer's one-off runs of a command in a fresh container of an app's live revision
-- (POST .../runs): who ran what, when, how it ended and its last output. A run with no finished_at
-- past its deadline was cut short by its bridge stopping: the reconciler releases its reservation
-- and closes it.
create table app_run (
  id              text primary key,
  app_id          text not null,
  tenant          text not null,
  revision        int not null,
  command         text not null,
  run_by          text not null,
  started_at      timestamptz not null,
  deadline        timestamptz not null,
  finished_at     timestamptz,
  exit_code       int,
  timed_out       boolean not null default false,
  output          text not null default '',
  reservation_key text
);
create index app_run_by_app on app_run (app_id, started_at desc);
create index app_run_unfinished on app_run (deadline) where finished_at is null;
