-- The app's configuration, applied to every new revision: plain environment, and secrets sealed
-- with AES-256-GCM (base64 of nonce, ciphertext and tag; the key never reaches the database).
alter table app add column env jsonb not null default '{}';
alter table app add column secrets text;
-- A stopped app keeps its live revision (to start it again) but runs nothing and holds no quota.
alter table app add column stopped boolean not null default false;

-- Each revision keeps the secrets it runs with, sealed, so the reconciler can restart it.
alter table revision add column secrets text;
alter table revision add column live_at timestamptz;
-- [{"name": "admission", "millis": 12}, ...]
alter table revision add column stages jsonb not null default '[]';

-- Custom domains: one app per domain across every tenant.
create table domain (
    domain     text        primary key,
    tenant     text        not null,
    project    text        not null,
    app        text        not null,
    created_at timestamptz not null default now(),
    foreign key (tenant, project, app) references app (tenant, project, app)
);
create index domain_app on domain (tenant, project, app);

-- What happened to an app, newest first by id.
create table app_event (
    id       bigserial   primary key,
    tenant   text        not null,
    project  text        not null,
    app      text        not null,
    time     timestamptz not null default now(),
    type     text        not null check (type in ('Normal', 'Warning')),
    reason   text        not null,
    message  text        not null,
    revision integer
);
create index app_event_app on app_event (tenant, project, app, id desc);
