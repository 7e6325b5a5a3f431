-- Issue 22: the functions' activations a tenant keeps count in its usage, within a quota of its own.
-- runtime-bridge measures them (a measured-usage row of the ledger, like build-service's storage)
-- and prunes each tenant's beyond its limit: retention, never admission. Tenants of before get the
-- default a new tenant gets (slipway.tenant.default-quota.activations), which is the bridge's own
-- retention cap, so nothing they keep changes.
alter table tenant_quota add column activations bigint not null default 10000
    check (activations >= 0);
alter table tenant_quota alter column activations drop default;
-- Limited per tenant only (activations are kept and measured per tenant): a project never sets it.
alter table project_quota add column activations bigint check (activations is null);
alter table reservation add column activations bigint not null default 0 check (activations >= 0);
