-- issue 25: a preview's build checks out its parent app's repository; null is the app's own
alter table build add column source_app_id text;
