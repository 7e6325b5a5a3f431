-- VMs (issue 23): the one exposed port the app's hosts route to (null: none, the hosts answer the
-- router's page saying the VM serves no web pages). Always one of the VM's own ports.
alter table vm add column http_port integer check (http_port is null or http_port = any (ports));
