-- Functions (issue 22): an app whose image carries the io.slipway.function label is invoked through
-- the bridge's invoker, each invocation given at most function_timeout_seconds (null: the default,
-- 60 s) and recorded as an activation.
alter table app add column function_timeout_seconds integer
    check (function_timeout_seconds is null or function_timeout_seconds between 1 and 300);

-- One row per invocation, written in batches by the invoker; ids are random (ac + 26 base32
-- characters), so one cannot be guessed from another. Pruned per tenant by count and by age.
create table function_activation (
    id            text        primary key,
    tenant_id     text        not null,
    project_id    text        not null,
    app_id        text        not null,
    revision      integer     not null,
    trigger       text        not null check (trigger in ('http', 'cron')),
    started_at    timestamptz not null,
    duration_ms   bigint      not null,
    status        text        not null check (status in ('success', 'error', 'timeout')),
    http_status   integer     not null,
    result_bytes  bigint      not null,
    error         text,
    logs          text        not null default ''
);
create index function_activation_app on function_activation (app_id, started_at desc, id desc);
create index function_activation_tenant on function_activation (tenant_id, started_at desc);
