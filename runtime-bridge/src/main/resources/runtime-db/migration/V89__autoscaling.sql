-- Autoscaling on concurrency (issue 22): an app opted in has its web replicas set, between
-- autoscale_min and autoscale_max, by the requests its instances answer at once, each replica meant
-- for autoscale_target of them; all three null: not opted in.
alter table app add column autoscale_min integer;
alter table app add column autoscale_max integer;
alter table app add column autoscale_target integer;
alter table app add constraint app_autoscale_setting check (
    (autoscale_min is null and autoscale_max is null and autoscale_target is null)
    or (autoscale_min between 1 and autoscale_max and autoscale_max <= 100
        and autoscale_target between 1 and 10000));
