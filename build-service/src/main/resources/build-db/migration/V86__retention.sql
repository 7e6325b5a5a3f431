-- When a build last opened each tenant's build store (its image store and cache): a store no build
-- opened for slipway.build.cache-retention is emptied by BuildRetention. A build sets it as it
-- opens the store, and the emptying holds the tenant's row locked while it moves the store's
-- directories aside, so a build starting meanwhile waits and then finds the store empty, never
-- half-removed. Stores that exist already count as used now.
alter table build_sandbox_tenant add column used_at timestamptz not null default now();

-- When a build's log was removed under slipway.build.log-retention: the build stays listed with
-- its status, and its log is a note saying it expired.
alter table build add column log_expired_at timestamptz;
