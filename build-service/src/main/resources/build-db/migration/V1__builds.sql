-- The build queue: one row per build, numbered per app. A worker claims queued rows with
-- "for update skip locked"; status moves queued -> running -> succeeded | failed.
create table build (
    id          uuid primary key,
    tenant      text        not null,
    project     text        not null,
    app         text        not null,
    number      integer     not null,
    commit_id   text        not null,
    ref         text        not null,
    pushed_by   text        not null,
    status      text        not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    reason      text,
    image       text,
    digest      text,
    log         text        not null default '',
    created_at  timestamptz not null default now(),
    not_before  timestamptz not null default now(), -- a build waiting for quota is retried after this
    started_at  timestamptz,
    finished_at timestamptz,
    unique (tenant, project, app, number)
);

create index build_queued on build (created_at) where status = 'queued';
create index build_tenant_started on build (tenant, started_at);
