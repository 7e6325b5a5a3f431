-- Where a change came from, and events other services record here (idempotent by their id).
alter table audit_event add column source_ip varchar(64);
alter table audit_event add column recorded_by varchar(64);
alter table audit_event add column event_id varchar(100);
create unique index audit_event_event_id on audit_event (event_id) where event_id is not null;
