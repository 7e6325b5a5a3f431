-- Issue 26: a project may tighten its tenant's image policy (production requires signed images,
-- staging does not), so an image promoted into it passes the project's own bar.
--
-- Tenants' and projects' policies are kept by id, never by name: a tenant or project made again
-- under a deleted one's name starts without the old one's policy (and its waivers), and the
-- catalog-event consumer removes them with the tenant or project.
create table tenant_image_policy (
    tenant_id  text        primary key,
    policy     text        not null,
    updated_by text        not null,
    updated_at timestamptz not null default now()
);

create table project_image_policy (
    project_id text        primary key,
    tenant_id  text        not null,
    policy     text        not null,
    updated_by text        not null,
    updated_at timestamptz not null default now()
);
create index project_image_policy_tenant on project_image_policy (tenant_id);

-- Tenants' policies were kept by the tenant's name (image_policy.scope). A name that the bridge's
-- apps tie to exactly one tenant id moves to that id; any other (a tenant without apps here) stays
-- where it was, read by name until its tenant admin saves the policy again (PolicyStore).
insert into tenant_image_policy (tenant_id, policy, updated_by, updated_at)
    select t.tenant_id, p.policy, p.updated_by, p.updated_at
      from image_policy p
      join (select tenant, min(tenant_id) as tenant_id from app where tenant_id is not null
             group by tenant having count(distinct tenant_id) = 1) t on t.tenant = p.scope
     where p.scope <> '*';
delete from image_policy p
 where p.scope <> '*'
   and p.scope in (select tenant from app where tenant_id is not null
                    group by tenant having count(distinct tenant_id) = 1);
