-- Issue 23: a VM may have a persistent data disk (the guest's /data) of this many MiB; 0 for none.
alter table vm add column data_disk_mib integer not null default 0 check (data_disk_mib >= 0);
