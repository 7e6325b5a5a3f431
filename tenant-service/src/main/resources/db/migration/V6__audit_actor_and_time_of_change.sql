-- One rule for actors (io.slipway.kit.audit.AuditActor): the kind, the user's id and a personal
-- access token's id next to the name the trail shows. Events other services send carry the time of
-- the change in `at`; `received_at` is when tenant-service recorded it.
alter table audit_event add column actor_kind varchar(10);
alter table audit_event add column actor_id varchar(255);
alter table audit_event add column token_id varchar(64);
alter table audit_event add column received_at timestamptz not null default now();
