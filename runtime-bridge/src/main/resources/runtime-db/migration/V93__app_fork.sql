-- issue 25: a preview that has run a pull request from a fork (build-service's deploy said fork:
-- true). Such code is anyone's: from then on every revision of the app runs with no secrets at all
-- (neither its parent's preview: true ones nor its own), until the preview is deleted.
alter table app add column fork boolean not null default false;
