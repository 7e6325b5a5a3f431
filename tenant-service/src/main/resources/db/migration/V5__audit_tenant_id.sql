-- Audit events belong to a tenant by its immutable id, not by its name: a deleted tenant's name is
-- free again at once, and a tenant registered under it must not read the old tenant's trail. The
-- name stays, for platform admins and for events of tenants that no longer exist.
alter table audit_event add column tenant_id varchar(12);

-- Events of a tenant that still exists, since that name's last creation (an older namesake's
-- events, if any, keep no id: they belong to no tenant that exists).
update audit_event a set tenant_id = t.public_id
from tenant t
where a.tenant = t.name
  and a.id >= coalesce(
      (select max(c.id) from audit_event c where c.tenant = t.name and c.action = 'tenant.created'),
      0);

create index audit_event_tenant_id_at on audit_event (tenant_id, at desc);
