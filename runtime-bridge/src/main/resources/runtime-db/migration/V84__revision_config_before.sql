-- A configuration change is an accepted revision (issue 20): the new configuration is stored with
-- its pending revision, and the reconciler rolls it out. When that rollout fails, the
-- configuration stored before the change is put back (unless a newer change stored another since):
-- kept here with the revision, the environment as JSON and the secrets sealed as revision.secrets
-- are. Null for every other revision.
alter table revision add column env_before jsonb;
alter table revision add column secrets_before text;

-- An app deletion is accepted too: the API marks the app deleting, and the reconciler holding its
-- lease removes its containers, route, reservations and rows (a bridge that dies in between
-- leaves the mark, and the next pass finishes it). No new deploy or change is accepted meanwhile.
alter table app add column deleting boolean not null default false;
