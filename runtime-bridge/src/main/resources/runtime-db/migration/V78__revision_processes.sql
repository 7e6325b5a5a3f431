-- The process types a revision runs besides web (from its image's Procfile label), each with
-- its command and count: {"worker": {"command": "node worker.js", "count": 1}}.
alter table revision add column processes jsonb not null default '{}'::jsonb;
