-- A tenant's registry robot accounts (issue 21): a username <tenant>+<name> and the SHA-256 of a
-- 256-bit random password (a hash is enough for a secret that random; the password is shown once).
-- Keyed by the tenant's id as its repositories are; deleted with the tenant.
create table registry_robot (
    tenant_id     text        not null,
    tenant        text        not null,
    name          text        not null,
    access        text        not null check (access in ('read', 'read-write')),
    password_hash bytea       not null,
    created_by    text        not null,
    created_at    timestamptz not null default now(),
    primary key (tenant_id, name)
);
create unique index registry_robot_username on registry_robot (tenant, name);
