-- One pull credential per project (username pull.<project id>, issue 21): what the kubernetes
-- driver puts in the project's namespace as its image pull Secret. It may pull, never push, any
-- repository under its tenant's id, and only its SHA-256 is kept. It does not expire: the kubelet
-- pulls whenever a pod is (re)scheduled, for as long as the app runs; it goes when its project or
-- tenant is deleted, and issuing it again replaces the password (rotation).
create table registry_pull_credential (
    project_id    text        primary key,
    tenant_id     text        not null,
    password_hash bytea       not null,
    issued_at     timestamptz not null default now()
);
create index registry_pull_credential_tenant on registry_pull_credential (tenant_id);
