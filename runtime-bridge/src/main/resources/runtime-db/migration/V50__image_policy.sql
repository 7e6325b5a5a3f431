-- Image admission policies (issue 9): the platform admin's floor (scope '*') and each tenant's
-- tightening (scope = the tenant's name), as the policy's JSON.
create table image_policy (
    scope      text primary key,
    policy     text        not null,
    updated_by text        not null,
    updated_at timestamptz not null default now()
);
