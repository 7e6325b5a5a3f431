-- How a succeeded build's deploy ended, as runtime-bridge answered it: the build is shown failed at
-- the deploy stage when its revision never went live, everywhere (API, portal, git push output).
-- Null until the build succeeded; 'pending' while its deploy request is owed.
alter table build
  add column deploy_status text
    check (deploy_status in ('pending', 'requested', 'live', 'failed', 'refused', 'superseded', 'skipped')),
  add column deploy_reason text,
  add column deploy_revision integer,
  add column deploy_url text,
  add column deployed_at timestamptz;

update build set deploy_status = 'pending' where deploy_pending;
