-- The tenants, projects and apps whose deletion (tenant-service's catalog feed) build-service has
-- applied, by the id tenant-service issued. A build that ends after its app was deleted finds its
-- scope here, deletes the image it made and deploys nothing; the row is written before anything of
-- the scope is removed, so every build either sees it or ends before the images are listed.
create table deleted_scope (
    id text primary key,
    deleted_at timestamptz not null default now()
);
