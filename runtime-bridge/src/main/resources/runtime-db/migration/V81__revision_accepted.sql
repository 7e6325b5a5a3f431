-- One writer per app: a deploy or rollback is accepted by whichever replica the caller reached
-- (a revision row with status 'pending') and rolled out later by the reconciler that holds the
-- app's lease. What that rollout needs and the accepting request knew is kept with the revision:
-- the event to write, the admission time, whether the image's release phase runs, and who asked
-- (the audit actor's claims, for an app.change-failed record). Null for revisions made otherwise.
alter table revision add column accepted jsonb;
