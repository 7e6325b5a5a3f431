-- One writer per app across every runtime-bridge replica: the replica holding an app's lease is
-- the only one deploying, scaling, stopping or reconciling it. A lease names its holder (one id per
-- running bridge) and lapses unless renewed, so a replica that dies frees its apps in seconds.
create table app_lease (
  app_id     text primary key,
  holder     text not null,
  expires_at timestamptz not null
);
