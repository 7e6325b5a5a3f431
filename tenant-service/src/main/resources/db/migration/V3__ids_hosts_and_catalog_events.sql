-- Issue 17. Every tenant, project and app gets an immutable, opaque id ('t', 'p' or 'a' and eleven
-- base32 characters from a CSPRNG): every runtime name (networks, containers, namespaces, images,
-- repositories) is made from ids, never by joining names, so two different apps can never share
-- one. Each app's default host label is reserved here under a unique constraint; and deleting a
-- tenant, project or app writes an event other services consume to remove what they hold of it.

-- Only for rows made before this migration: the service issues ids itself (CatalogIds).
create function pg_temp.new_public_id(kind text) returns text language sql volatile as $$
    select kind || string_agg(
        substr('abcdefghijklmnopqrstuvwxyz234567', get_byte(bytes, i + (i >= 6)::int) % 32 + 1, 1),
        '' order by i)
    -- byte 6 of a version-4 UUID holds version bits; every other byte used here is random
    from (select uuid_send(gen_random_uuid()) as bytes) random, generate_series(0, 10) i
$$;

alter table tenant add column public_id varchar(12);
alter table project add column public_id varchar(12);
alter table app add column public_id varchar(12);
update tenant set public_id = pg_temp.new_public_id('t');
update project set public_id = pg_temp.new_public_id('p');
update app set public_id = pg_temp.new_public_id('a');
alter table tenant alter column public_id set not null;
alter table project alter column public_id set not null;
alter table app alter column public_id set not null;
alter table tenant add constraint tenant_public_id unique (public_id);
alter table project add constraint project_public_id unique (public_id);
alter table app add constraint app_public_id unique (public_id);
alter table tenant add constraint tenant_public_id_form check (public_id ~ '^t[a-z2-7]{11}$');
alter table project add constraint project_public_id_form check (public_id ~ '^p[a-z2-7]{11}$');
alter table app add constraint app_public_id_form check (public_id ~ '^a[a-z2-7]{11}$');

-- '--' separates the names in a host label, so no name may hold it (older names keep theirs).
alter table tenant add constraint tenant_name_no_double_dash check (position('--' in name) = 0) not valid;
alter table project add constraint project_name_no_double_dash check (position('--' in name) = 0) not valid;
alter table app add constraint app_name_no_double_dash check (position('--' in name) = 0) not valid;

-- <app>--<project>--<tenant>: apps older than the scheme whose names hold '--' or are too long
-- answer at their id instead (an id never holds '--', so it cannot collide with the scheme).
alter table app add column host_label varchar(63);
update app a set host_label = case
    when position('--' in a.name || p.name || t.name) > 0
        or length(a.name) + length(p.name) + length(t.name) + 4 > 63
    then a.public_id
    else a.name || '--' || p.name || '--' || t.name end
from project p, tenant t
where p.id = a.project_id and t.id = a.tenant_id;
alter table app alter column host_label set not null;
alter table app add constraint app_host_label unique (host_label);
alter table app add constraint app_host_label_form
    check (host_label ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');

-- The outbox of deletions: written in the transaction that deletes, read by build-service and
-- runtime-bridge through GET /api/v1/internal/events?after=<seq>. Writers take an advisory lock
-- before inserting, so events commit in seq order and a reader's cursor never skips one.
create table catalog_event (
    seq        bigint generated always as identity primary key,
    type       varchar(32)  not null
        check (type in ('tenant.deleted', 'project.deleted', 'app.deleted')),
    tenant_id  varchar(12)  not null,
    project_id varchar(12),
    app_id     varchar(12),
    tenant     varchar(20)  not null,
    project    varchar(20),
    app        varchar(21),
    at         timestamptz  not null default now(),
    check ((type = 'tenant.deleted') = (project_id is null)),
    check ((type = 'app.deleted') = (app_id is not null))
);
