-- When BuildRetention removed a build's image from its tenant's build store (the build is no longer
-- among its app's newest two): a pass asks only the tenants that have such a build not yet
-- removed, instead of listing every tenant's store every pass.
alter table build add column store_image_pruned_at timestamptz;
