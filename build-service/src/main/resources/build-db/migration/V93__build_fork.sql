-- issue 25: a build of a pull request from a fork (its head another repository's than the app's):
-- built with build egress off, and its deploy asks runtime-bridge to run it with no secrets at all
alter table build add column fork boolean not null default false;
