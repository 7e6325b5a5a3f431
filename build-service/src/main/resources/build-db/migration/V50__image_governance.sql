-- Registry governance (issue 9): per built image its SBOM (CycloneDX JSON), the vulnerability
-- findings under an advisory revision, and the platform signature. One row per build; the digest
-- is how runtime-bridge asks for it.
create table image_attestation (
    build_id          uuid primary key references build (id) on delete cascade,
    digest            text        not null,
    reference         text        not null,
    sbom              bytea       not null,
    findings          text        not null, -- JSON array, worst first
    advisory_revision text        not null,
    sig_payload       text        not null,
    sig_signature     text        not null,
    sig_key_id        text        not null,
    created_at        timestamptz not null default now(),
    scanned_at        timestamptz not null default now()
);

create index image_attestation_digest on image_attestation (digest, created_at desc);
