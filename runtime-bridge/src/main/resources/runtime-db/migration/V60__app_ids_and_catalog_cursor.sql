-- Issue 17: tenant-service's immutable ids and the reserved host label of each app, stored with
-- the app (ids never change), so every runtime name is made from ids and a deletion event (which
-- names ids) finds the app. Rows are still keyed by names, as the API addresses them; an app
-- deleted and created again under the same names gets new ids, and its old row is removed by the
-- deletion event before the new one is made.
alter table app add column tenant_id text;
alter table app add column project_id text;
alter table app add column app_id text unique;
alter table app add column host_label text;
create index app_tenant_id on app (tenant_id);
create index app_project_id on app (project_id);

-- Where this bridge is in tenant-service's feed of catalog events: the seq of the last event it
-- applied. Kept here, so a bridge that was down catches up from where it stopped.
create table catalog_cursor (
    feed text   primary key,
    seq  bigint not null
);
