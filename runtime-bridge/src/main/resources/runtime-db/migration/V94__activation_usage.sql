-- Issue 22: what the bridge last reported to tenant-service of each tenant's kept activations
-- (measured usage, key activations). It names the tenants to report again after a prune, those
-- whose activations are all gone too (their apps deleted), and lets a pass skip counts that did not
-- change. Replicas report the same count, so whichever writes last is right.
create table function_activation_usage (
    tenant_id   text   primary key,
    tenant      text   not null,
    reported    bigint not null check (reported >= 0)
);
