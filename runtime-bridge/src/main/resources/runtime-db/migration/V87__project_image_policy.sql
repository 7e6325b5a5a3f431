-- Issue 26: a project may tighten its tenant's image policy (production requires signed images,
-- staging does not), so an image promoted into it passes the project's own bar. Kept by the
-- project's id, never its name: a project made again under a deleted one's name starts without it.
create table project_image_policy (
    project_id text        primary key,
    tenant_id  text        not null,
    policy     text        not null,
    updated_by text        not null,
    updated_at timestamptz not null default now()
);
create index project_image_policy_tenant on project_image_policy (tenant_id);
