-- Scale to zero (issue 22): an app opted in has its instances stopped once idle for
-- zero_idle_seconds (null: not opted in); zero_revision is the live revision stopped so (null:
-- awake), which the first request through the router wakes.
alter table app add column zero_idle_seconds integer
    check (zero_idle_seconds is null or zero_idle_seconds between 60 and 86400);
alter table app add column zero_revision integer;
alter table app add column zero_since timestamptz;
