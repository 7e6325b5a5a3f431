-- Issue 25: whether a pull request from a fork (its head repository not the app's own) may get a
-- preview. Off by default: a fork's code is anyone's, so when a tenant allows it, its preview is
-- built with build egress off and runs with no secrets at all (build-service and runtime-bridge
-- decide both from the webhook; this column only says whether such a preview may exist).
alter table project add column preview_allow_forks boolean not null default false;
