-- The deploy outbox: a succeeded build owes runtime-bridge a deploy request from the statement
-- that marks it succeeded until runtime-bridge has answered it (deployed, or refused for good), so
-- neither a restart of build-service nor a runtime-bridge that is down loses a push. Only the
-- latest succeeded build of an app is ever sent again; older ones are superseded.
-- deploy_not_before: a resend claimed by one instance is not claimed by another before then.
alter table build add column deploy_pending boolean not null default false;
alter table build add column deploy_not_before timestamptz;

create index build_deploy_pending on build (finished_at) where deploy_pending;
