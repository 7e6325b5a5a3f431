-- Commit status reported back to the forge (issue 25), off unless a developer sets it for an
-- external-git app: where to post and the token, sealed (slipway.build.secret-key), and how the
-- last delivery went, so the developer sees why a status is missing.
create table commit_status_setting (
    tenant                text        not null,
    project               text        not null,
    app                   text        not null,
    tenant_id             text        not null,
    project_id            text        not null,
    app_id                text        not null,
    forge                 text        not null check (forge in ('github', 'gitlab', 'gitea')),
    api_url               text        not null,
    token_sealed          text        not null,
    updated_at            timestamptz not null default now(),
    last_delivery_at      timestamptz,
    last_delivery_state   text,
    last_delivery_outcome text,
    primary key (tenant, project, app)
);

-- The outbox: one row per (build, state), written with the build's queuing (pending) or once its
-- build or deploy ended (success, failure), delivered with bounded retries; a restart resumes the
-- rows not done. Where it goes is the app's (its setting and sourceRef), never a payload's.
create table commit_status (
    build_id        uuid        not null references build (id) on delete cascade,
    state           text        not null check (state in ('pending', 'success', 'failure')),
    tenant          text        not null,
    project         text        not null,
    app             text        not null,
    app_id          text        not null,
    source_ref      text        not null,
    commit_id       text        not null,
    target_url      text        not null,
    description     text        not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    done_at         timestamptz,
    outcome         text,
    created_at      timestamptz not null default now(),
    primary key (build_id, state)
);

create index commit_status_due on commit_status (next_attempt_at) where done_at is null;
