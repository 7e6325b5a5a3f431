-- registry_image is the image's reference by digest in the registry it was pushed to, if any.
-- Where a build's time went: received_at is when the push (or webhook delivery) arrived;
-- build_millis and image_millis are the buildah run and the recording of the image. A build can
-- be cancelled, queued or running.
alter table build add column received_at timestamptz;
alter table build add column build_millis bigint;
alter table build add column image_millis bigint;
alter table build add column registry_image text;
alter table build drop constraint build_status_check;
alter table build add constraint build_status_check
    check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled'));
