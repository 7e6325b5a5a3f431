-- Personal access tokens: a user's long-lived credentials for the API (scope api) and for git over
-- HTTP (scope git). Only the SHA-256 of a secret is kept: the secret is shown once, when it is made.
-- A plain hash is enough because a secret holds 238 random bits (nothing to guess from a leaked
-- hash), and it lets a token be found with one indexed lookup.
create table personal_access_token (
    id           bigint generated always as identity primary key,
    username     varchar(255) not null,
    name         varchar(100) not null,
    scopes       text[]       not null
        check (cardinality(scopes) between 1 and 2 and scopes <@ array['api', 'git']::text[]),
    secret_hash  bytea        not null unique check (octet_length(secret_hash) = 32),
    prefix       varchar(12)  not null,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz  not null,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    check (expires_at > created_at)
);
create index personal_access_token_owner on personal_access_token (username, created_at desc);
