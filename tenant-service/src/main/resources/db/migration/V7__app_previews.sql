-- Issue 25: preview environments. A preview is an app row with a parent (the app it previews) and a
-- short name of its own; its app name is '<preview>--<parent>' (e.g. pr-12--web). A name a user
-- chooses for an app never holds '--', so a preview's name never collides with an app's, and its
-- host label '<preview>--<app>--<project>--<tenant>' is unique as every app's is. Everything made
-- from app ids (containers, routes, images, repositories, deletion events) treats it as an app.
alter table app add column parent_id bigint references app (id);
alter table app add column preview_name varchar(21);
alter table app add column pull_request integer check (pull_request > 0);
alter table app add column branch varchar(255);
alter table app add column commit_sha varchar(40) check (commit_sha ~ '^[0-9a-f]{40}$');
alter table app add column updated_at timestamptz;

-- <preview>--<app>: two names of at most 21 characters and the separator.
alter table app alter column name type varchar(44);

-- An app's own name never holds '--'; a preview's is its preview name, '--' and its parent's.
alter table app drop constraint app_name_no_double_dash;
alter table app add constraint app_name_no_double_dash
    check (parent_id is not null or position('--' in name) = 0) not valid;
alter table app add constraint app_preview_form check (
    (parent_id is null and preview_name is null and pull_request is null and branch is null
        and commit_sha is null)
    or (parent_id is not null and preview_name ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
        and position('--' in preview_name) = 0
        and left(name, length(preview_name) + 2) = preview_name || '--'));
-- one preview of a name per parent (the app name's (project_id, name) key stays as it is)
alter table app add constraint app_parent_preview_name unique (parent_id, preview_name);

-- The previews quota: a count, like apps, counted from the catalog (previews are not apps there).
-- Tenants of before get the default a new tenant gets (slipway.tenant.default-quota.previews).
alter table tenant_quota add column previews integer not null default 10 check (previews >= 0);
alter table tenant_quota alter column previews drop default;
alter table project_quota add column previews integer check (previews >= 0);
