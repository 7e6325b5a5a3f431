-- Issue 17: a project's apps reach nothing outside their network unless the project opts in. One
-- row per project that has a setting (no row: closed), keyed by tenant-service's project id.
create table project_egress (
    project_id text        primary key,
    tenant_id  text        not null,
    allowed    boolean     not null,
    updated_by text        not null,
    updated_at timestamptz not null default now()
);
create index project_egress_tenant_id on project_egress (tenant_id);
