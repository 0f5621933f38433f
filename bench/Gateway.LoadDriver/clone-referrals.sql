-- Clones every referral in the store (its Patient, Consent, ServiceRequest, Task and Provenance)
-- :copies times, for measurements that need more referrals than the HTTP preload can make in
-- reasonable time (docs/performance.md). Run on a sandbox's own database, never on one with
-- real data:
--
--   psql -h 127.0.0.1 -p PORT -U gateway -d gateway -v copies=99 -f bench/Gateway.LoadDriver/clone-referrals.sql
--
-- Copy k of a resource:
--   * has the id of the original with '-c' and k appended; so does every server-assigned id
--     (a uuid) in its body and its index rows, so that copy k of a Task points at copy k of its
--     ServiceRequest and Patient, in the body and in the index alike;
--   * if it is a Patient, a ServiceRequest or a Task, has its identifier values (the NHS number
--     or BSN, the GP's referral number, a wor-export row's verwijzing_id, the gateway's referral
--     number) with 'c' and k appended, in the body and the index: the load driver's wor-export
--     file names copy k of referral WOR-run-n as WOR-run-nck, and a search by an original's NHS
--     number finds the original's referral only, as it would in a real store;
--   * is version 1, stamped as its original was.
-- Such identifiers are no valid NHS numbers or BSNs any more: the store is for load measurements only.
\set ON_ERROR_STOP on
begin;
create temp table src on commit drop as
    select * from resource where resource_type in ('Patient', 'Consent', 'ServiceRequest', 'Task', 'Provenance') and not is_deleted;
create temp table copies on commit drop as select generate_series(1, :copies) k;

insert into resource (resource_type, resource_id, version, last_updated, is_deleted, created_by)
select s.resource_type, s.resource_id || '-c' || c.k, 1, s.last_updated, false, s.created_by from src s cross join copies c;

create temp table keymap on commit drop as
select s.resource_key old_key, r.resource_key new_key, s.resource_type, c.k
from src s cross join copies c join resource r on r.resource_type = s.resource_type and r.resource_id = s.resource_id || '-c' || c.k;

-- A server-assigned id wherever it appears: in references (Task/<id>, Task/<id>/_history/2) and in _id tokens.
create function pg_temp.copy_ids(t text, k int) returns text language sql immutable as
$$ select regexp_replace(t, '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})', '\1-c' || k, 'g') $$;

insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
select m.new_key, 1, v.resource_type, v.last_updated, 'POST',
       pg_temp.copy_ids(jsonb_set(
           case when v.resource_type in ('Patient', 'ServiceRequest', 'Task') and json_typeof(v.body -> 'identifier') = 'array'
                then jsonb_set(v.body::jsonb, '{identifier}', (select jsonb_agg(case when i ? 'value' then jsonb_set(i, '{value}', to_jsonb((i ->> 'value') || 'c' || m.k)) else i end)
                                                        from jsonb_array_elements(v.body::jsonb -> 'identifier') i))
                else v.body::jsonb end,
           '{meta,versionId}', '"1"')::text, m.k)::json
from keymap m join resource r on r.resource_key = m.old_key join resource_version v on v.resource_key = r.resource_key and v.version = r.version;

insert into search_token (resource_key, resource_type, param, system, code, display)
select m.new_key, t.resource_type, t.param, t.system,
       case when t.resource_type in ('Patient', 'ServiceRequest', 'Task') and t.param = 'identifier' then t.code || 'c' || m.k else pg_temp.copy_ids(t.code, m.k) end, t.display
from keymap m join search_token t on t.resource_key = m.old_key;

insert into search_reference (resource_key, resource_type, param, target_type, target_id, url)
select m.new_key, x.resource_type, x.param, x.target_type, pg_temp.copy_ids(x.target_id, m.k), pg_temp.copy_ids(x.url, m.k)
from keymap m join search_reference x on x.resource_key = m.old_key;

insert into search_string (resource_key, resource_type, param, normalized, exact)
select m.new_key, s.resource_type, s.param, s.normalized, s.exact from keymap m join search_string s on s.resource_key = m.old_key;

insert into search_date (resource_key, resource_type, param, start_at, end_at)
select m.new_key, d.resource_type, d.param, d.start_at, d.end_at from keymap m join search_date d on d.resource_key = m.old_key;

-- Copy k's audience is its original's: its references lead to copies of the same partners' resources.
-- (Stores from before the access model have no resource_audience.)
do $$
begin
    if to_regclass('resource_audience') is not null then
        insert into resource_audience (resource_key, partner_id, may_write, valid_from, valid_until, reason)
        select m.new_key, a.partner_id, a.may_write, a.valid_from, a.valid_until, a.reason
        from keymap m join resource_audience a on a.resource_key = m.old_key;
    end if;
end
$$;
commit;
-- Vacuumed now, so autovacuum does not set about half a million new rows during a measurement.
vacuum (analyze);
