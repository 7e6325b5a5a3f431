-- tenant: the id tenant-service issued (never the name, which can be registered again).
-- Each tenant's build sandbox number, fixed for good: tenant n's builds run as host uids
-- uid-base + n * 65536 .. + 65535 (root inside the sandbox is the first), and its image store is
-- owned by them. Numbers are never reused, so no two tenants ever share a range.
create table build_sandbox_tenant (
    tenant text primary key,
    number integer generated always as identity unique
);
