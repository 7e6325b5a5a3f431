-- VMs (issue 23): an app of the VM kind. Its spec as the API took it, whether it should run, and
-- the compute reservation it holds in tenant-service while it runs (null when stopped). The
-- user-data is sealed like an app's secrets (null: none). Removed with its app's row.
create table vm (
    tenant      text      not null,
    project     text      not null,
    app         text      not null,
    app_id      text      not null unique,
    vcpus       integer   not null check (vcpus between 1 and 8),
    memory_mib  integer   not null check (memory_mib between 128 and 16384),
    image       text      not null,
    user_data   text,
    ports       integer[] not null,
    running     boolean   not null,
    -- bumped on every start, so each start's reservation has a key of its own
    generation  integer   not null default 0,
    reservation text,
    -- random, made with the VM: a VM made again after a delete never reuses a reservation key
    incarnation text      not null,
    primary key (tenant, project, app),
    foreign key (tenant, project, app) references app (tenant, project, app) on delete cascade
);
