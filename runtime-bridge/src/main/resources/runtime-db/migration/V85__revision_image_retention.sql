-- Retention of revision images: a pinned revision's image is kept whatever its age, and a revision
-- whose image retention removed from the runtime's store records when, so that it is no longer
-- offered for rollback.
alter table revision add column pinned boolean not null default false,
    add column image_removed_at timestamptz;
