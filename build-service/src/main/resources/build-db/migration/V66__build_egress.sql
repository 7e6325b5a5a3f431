-- tenant: the id tenant-service issued. A tenant's own choice of build egress (docs/security.md);
-- a tenant without a row has the platform's default (slipway.build.egress.enabled-by-default).
create table build_egress_tenant (
    tenant text primary key,
    enabled boolean not null,
    changed_by text not null,
    changed_at timestamptz not null
);
