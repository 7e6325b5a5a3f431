-- The desired state of each app: its revisions (kept for rollback) and which one is live.
create table app (
    tenant        text    not null,
    project       text    not null,
    app           text    not null,
    live_revision integer,
    -- bumped on every scale, so each replica count gets its own reservation key
    generation    integer not null default 0,
    primary key (tenant, project, app)
);

create table revision (
    tenant           text        not null,
    project          text        not null,
    app              text        not null,
    revision         integer     not null,
    image            text        not null,
    digest           text,
    replicas         integer     not null check (replicas between 0 and 100),
    port             integer     not null,
    env              jsonb       not null default '{}',
    cpu_millicores   integer     not null,
    memory_mib       integer     not null,
    health_path      text        not null,
    run_as_user      bigint      not null check (run_as_user > 0),
    read_only_root   boolean     not null,
    build_id         text,
    -- deploying, live, failed, retired
    status           text        not null,
    reason           text,
    -- the tenant-service reservations holding its compute, separated by spaces
    reservation_keys text,
    created_at       timestamptz not null default now(),
    finished_at      timestamptz,
    primary key (tenant, project, app, revision),
    foreign key (tenant, project, app) references app (tenant, project, app),
    unique (tenant, project, app, build_id)
);
