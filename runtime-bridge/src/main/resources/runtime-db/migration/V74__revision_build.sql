-- The build a revision was made from, by the numbers a user knows it by: build-service's deploy
-- request carries them, so that no one joins on build ids to name a revision's build.
alter table revision add column build_number integer, add column commit_id text;
