-- Issue 26: a tenant chooses how many of each app's newest revisions keep their images, within the
-- platform's maximum (slipway.runtime.image-retention-max); without a row, the platform's default
-- (slipway.runtime.image-retention). Kept by tenant id, removed with the tenant by the
-- catalog-event consumer, so a tenant made again under a deleted one's name starts at the default.
create table tenant_image_retention (
    tenant_id  text        primary key,
    revisions  integer     not null check (revisions > 0),
    updated_by text        not null,
    updated_at timestamptz not null default now()
);
