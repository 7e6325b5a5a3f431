-- One writer per app for scale, stop and start too (issue 20). The API records the desired state
-- (the live revision's counts, the app's stopped flag, its reservations) and numbers the change in
-- desired_change; the reconciler holding the app's lease applies what is desired and sets
-- applied_change to the number it applied, with why it did not come out as asked (change_failure,
-- null when it did). change_accepted is what applying it needs from the request: the event to
-- write and who asked (an Acceptance, as revision.accepted holds for deploys).
alter table app add column desired_change integer not null default 0;
alter table app add column applied_change integer not null default 0;
alter table app add column change_failure text;
alter table app add column change_accepted jsonb;
