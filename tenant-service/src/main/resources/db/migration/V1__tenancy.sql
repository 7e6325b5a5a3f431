-- Tenants, projects and apps: the catalog of what runs. Names are DNS-1123 labels (checked at the
-- API edge; the CHECK constraints are the last line of defence).
create table tenant (
    id           bigint generated always as identity primary key,
    name         varchar(20)  not null unique check (name ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
    display_name varchar(100) not null,
    created_at   timestamptz  not null default now(),
    created_by   varchar(255) not null
);

create table project (
    id           bigint generated always as identity primary key,
    tenant_id    bigint       not null references tenant (id),
    name         varchar(20)  not null check (name ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
    display_name varchar(100) not null,
    created_at   timestamptz  not null default now(),
    created_by   varchar(255) not null,
    unique (tenant_id, name)
);

create table app (
    id          bigint generated always as identity primary key,
    tenant_id   bigint       not null references tenant (id),
    project_id  bigint       not null references project (id),
    name        varchar(21)  not null check (name ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
    source      varchar(16)  not null check (source in ('hosted-git', 'external-git', 'image')),
    source_ref  varchar(500),
    created_at  timestamptz  not null default now(),
    created_by  varchar(255) not null,
    unique (project_id, name)
);
create index app_tenant on app (tenant_id);

create table membership (
    tenant_id  bigint       not null references tenant (id) on delete cascade,
    username   varchar(255) not null,
    role       varchar(16)  not null check (role in ('tenant-admin', 'developer', 'viewer')),
    created_at timestamptz  not null default now(),
    primary key (tenant_id, username)
);
create index membership_username on membership (username);

-- Quotas. A tenant's limits are all set; a project's limits are optional (null: bounded only by the
-- tenant) and never above the tenant's.
create table tenant_quota (
    tenant_id         bigint primary key references tenant (id) on delete cascade,
    cpu_millicores    integer not null check (cpu_millicores >= 0),
    memory_mib        integer not null check (memory_mib >= 0),
    apps              integer not null check (apps >= 0),
    replicas          integer not null check (replicas >= 0),
    concurrent_builds integer not null check (concurrent_builds >= 0),
    build_minutes     integer not null check (build_minutes >= 0),
    storage_mib       integer not null check (storage_mib >= 0)
);

create table project_quota (
    project_id        bigint primary key references project (id) on delete cascade,
    cpu_millicores    integer check (cpu_millicores >= 0),
    memory_mib        integer check (memory_mib >= 0),
    apps              integer check (apps >= 0),
    replicas          integer check (replicas >= 0),
    concurrent_builds integer check (concurrent_builds >= 0),
    build_minutes     integer check (build_minutes >= 0),
    storage_mib       integer check (storage_mib >= 0)
);

-- The usage ledger: every reservation another service holds. Usage is the sum of active
-- reservations (and, for build minutes, of every reservation in the current month). Rows are never
-- deleted, so a tenant cannot shed build minutes by deleting a project.
create table reservation (
    id                bigint generated always as identity primary key,
    tenant_id         bigint       not null references tenant (id) on delete cascade,
    project_id        bigint       references project (id) on delete set null,
    app_id            bigint       references app (id) on delete set null,
    idempotency_key   varchar(200) not null,
    cpu_millicores    integer      not null check (cpu_millicores >= 0),
    memory_mib        integer      not null check (memory_mib >= 0),
    replicas          integer      not null check (replicas >= 0),
    concurrent_builds integer      not null check (concurrent_builds >= 0),
    build_minutes     integer      not null check (build_minutes >= 0),
    storage_mib       integer      not null check (storage_mib >= 0),
    period            char(7)      not null,
    created_at        timestamptz  not null default now(),
    created_by        varchar(255) not null,
    released_at       timestamptz,
    unique (tenant_id, idempotency_key)
);
create index reservation_active_tenant on reservation (tenant_id) where released_at is null;
create index reservation_active_project on reservation (project_id) where released_at is null;
create index reservation_tenant_period on reservation (tenant_id, period);
create index reservation_project_period on reservation (project_id, period);

-- Who changed what, when, with the state before and after (JSON). Tenant is kept by name so the
-- trail outlives the tenant.
create table audit_event (
    id         bigint generated always as identity primary key,
    at         timestamptz  not null default now(),
    actor      varchar(255) not null,
    tenant     varchar(20),
    action     varchar(64)  not null,
    target     varchar(300) not null,
    before     jsonb,
    after      jsonb
);
create index audit_event_tenant_at on audit_event (tenant, at desc);
create index audit_event_at on audit_event (at desc);
