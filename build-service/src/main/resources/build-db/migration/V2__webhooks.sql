-- Webhooks of external-git apps: one secret per app (generated on first read, rotatable), and the
-- deliveries already turned into builds, so that a redelivered webhook does not build twice.
create table webhook_secret (
    tenant     text        not null,
    project    text        not null,
    app        text        not null,
    secret     text        not null,
    created_at timestamptz not null default now(),
    primary key (tenant, project, app)
);

create table webhook_delivery (
    tenant      text        not null,
    project     text        not null,
    app         text        not null,
    delivery_id text        not null,
    build_id    uuid        not null references build (id) on delete cascade,
    received_at timestamptz not null default now(),
    primary key (tenant, project, app, delivery_id)
);
