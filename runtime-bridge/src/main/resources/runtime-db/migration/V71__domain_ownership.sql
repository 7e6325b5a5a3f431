-- Issue 17: a custom domain is routed only once its owner proved control of it. Every claim has
-- its own random token; pending claims of several apps (of any tenants) may coexist, and the
-- first to verify wins: at most one verified claim per domain.
alter table domain drop constraint domain_pkey;
alter table domain add column token text;
alter table domain add column state text not null default 'pending'
    check (state in ('pending', 'verified'));
-- why the last check failed, in words for the owner; null once verified
alter table domain add column failure text;
alter table domain add column checked_at timestamptz;
alter table domain add column verified_at timestamptz;
-- Domains claimed before proofs existed are pending like any new claim: their owners verify them
-- once (the HTTP check passes at once for a domain that already points at the platform). The
-- token: 244 bits from PostgreSQL's strong random source.
update domain
   set token = replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
alter table domain alter column token set not null;
alter table domain add primary key (domain, tenant, project, app);
create unique index domain_verified_once on domain (domain) where state = 'verified';
create index domain_pending on domain (state) where state = 'pending';
