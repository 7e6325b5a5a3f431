-- Issue 17: tenant-service's immutable ids stored with each build and webhook secret. The image
-- (<prefix>/<tenant id>/<project id>/<app id>:<commit>) and the repository directory
-- (<data dir>/<tenant id>/<project id>/<app id>.git) are made from them, never from names, and a
-- deletion event (which names ids) finds every row, image and directory of what was deleted.
alter table build add column tenant_id text;
alter table build add column project_id text;
alter table build add column app_id text;
create index build_tenant_id on build (tenant_id);
create index build_project_id on build (project_id);
create index build_app_id on build (app_id);

alter table webhook_secret add column tenant_id text;
alter table webhook_secret add column project_id text;
alter table webhook_secret add column app_id text;

-- Where this service is in tenant-service's feed of catalog events: the seq of the last event it
-- applied, so a build-service that was down catches up from where it stopped.
create table catalog_cursor (
    feed text   primary key,
    seq  bigint not null
);
