-- Issue 23: an app may be a virtual machine (its spec lives in runtime-bridge; nothing is built
-- for it), so the catalog says so and the project's app list can show it.
alter table app drop constraint app_source_check;
alter table app add constraint app_source_check
    check (source in ('hosted-git', 'external-git', 'image', 'vm'));
