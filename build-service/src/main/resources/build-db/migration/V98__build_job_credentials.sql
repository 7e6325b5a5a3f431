-- What a Kubernetes build Job's pod is given (issue 21): a one-time capability URL for its build
-- context and a registry push credential for its build's repository. Both secrets are 256-bit
-- random and only their SHA-256 is kept (a hash is enough for a secret that random). The context
-- is pinned at issue time: the repository's ids and the commit are copied here, so the token
-- yields that commit's tree and nothing else, whatever happens to the build or the branch later.
create table build_context_token (
    token_hash  bytea       primary key,
    build_id    uuid        not null,
    tenant_id   text        not null,
    project_id  text        not null,
    app_id      text        not null,
    commit_id   text        not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index build_context_token_expiry on build_context_token (expires_at);

-- One push credential per build (username job.<build id>): push and pull on exactly the build's
-- repository <tenant id>/<project id>/<app id> until it expires.
create table build_push_credential (
    build_id      uuid        primary key,
    password_hash bytea       not null,
    repository    text        not null,
    expires_at    timestamptz not null
);
