-- issue 25: the names of an app's secrets marked preview: true, the only ones its previews get
alter table app add column preview_secrets jsonb not null default '[]'::jsonb;
