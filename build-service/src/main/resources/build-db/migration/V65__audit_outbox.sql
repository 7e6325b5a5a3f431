-- The audit outbox (io.slipway.kit.audit.AuditOutbox): an event is written with the change it
-- describes and sent to tenant-service by the relay until tenant-service has recorded it.
create table audit_outbox (
    id              bigserial primary key,
    event_id        varchar(100) not null unique,
    at              timestamptz  not null,
    event           jsonb        not null,
    attempts        int          not null default 0,
    next_attempt_at timestamptz  not null default now(),
    last_error      varchar(300),
    refused_at      timestamptz
);
create index audit_outbox_due on audit_outbox (next_attempt_at, id) where refused_at is null;
