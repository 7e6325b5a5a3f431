-- Scale to zero's paused stage (issue 22): an app opted in with zero_paused_seconds > 0 has its
-- instances frozen in place (cgroup freezer) once idle, and stopped only after that much longer;
-- zero_paused says the revision at zero is frozen rather than stopped.
alter table app add column zero_paused_seconds integer not null default 0
    check (zero_paused_seconds between 0 and 86400);
alter table app add column zero_paused boolean not null default false;
