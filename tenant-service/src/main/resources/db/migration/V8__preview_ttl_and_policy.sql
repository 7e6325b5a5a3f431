-- Issue 25: the bounds a tenant chooses for a project's previews. preview_ttl_seconds is how long a
-- preview may go without a push or PUT (its updated_at) before the reaper deletes it; null follows
-- the platform default (slipway.tenant.preview-ttl), so a changed default reaches every project that
-- never chose. preview_policy is what a new preview over the previews quota does: 'refuse' (409) or
-- 'replace-oldest' (the project's preview with the oldest updated_at is deleted in its place).
alter table project add column preview_ttl_seconds bigint
    check (preview_ttl_seconds between 3600 and 7776000);
alter table project add column preview_policy varchar(16) not null default 'refuse'
    check (preview_policy in ('refuse', 'replace-oldest'));

-- The reaper's and the policy's question, "a project's least recently updated previews".
create index app_preview_updated_at on app (updated_at, id) where parent_id is not null;
