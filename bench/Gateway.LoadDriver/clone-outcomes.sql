-- Clones every referral in the store with its outcomes (its Patient, Consent, ServiceRequest,
-- Task with all its versions, Provenance and QuestionnaireResponses) :copies times, for the
-- $evaluate-measure benchmark of issue 19 (bench/measures.sh, docs/performance.md "Outcome
-- measures"). Run on a sandbox's own database, never on one with real data:
--
--   psql -h 127.0.0.1 -p PORT -U gateway -d gateway -v copies=16666 -f bench/Gateway.LoadDriver/clone-outcomes.sql
--
-- As clone-referrals.sql (ids and identifiers with '-c'/'c' and k appended, references following
-- them), and further:
--   * every version of a resource is copied, not only the current one: the measures read a Task's
--     history (accepted when, first contact when, SLA breach);
--   * copy k is moved (k % 12) months back in time (its stored versions' timestamps, its Task's
--     authoredOn and its indexed dates), so a year's report has twelve months of referrals to stratify;
--   * the Task of every tenth copy (k % 10 = 3) is declined (rejected, no-capacity) and of another
--     tenth (k % 10 = 7) cancelled, in its current version and its status index, so the closure
--     measure has something to count.
-- The QuestionnaireResponses keep their authored dates (they only order the first and last measurement).
\set ON_ERROR_STOP on
begin;
create temp table src on commit drop as
    select * from resource where resource_type in ('Patient', 'Consent', 'ServiceRequest', 'Task', 'Provenance', 'QuestionnaireResponse') and not is_deleted;
create temp table copies on commit drop as
    select k, make_interval(months => k % 12) as back from generate_series(1, :copies) k;

insert into resource (resource_type, resource_id, version, last_updated, is_deleted, created_by)
select s.resource_type, s.resource_id || '-c' || c.k, s.version, s.last_updated - c.back, false, s.created_by from src s cross join copies c;

create temp table keymap on commit drop as
select s.resource_key old_key, r.resource_key new_key, s.resource_type, c.k, c.back
from src s cross join copies c join resource r on r.resource_type = s.resource_type and r.resource_id = s.resource_id || '-c' || c.k;
create index on keymap (old_key);

create function pg_temp.copy_ids(t text, k int) returns text language sql immutable as
$$ select regexp_replace(t, '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})', '\1-c' || k, 'g') $$;

-- A Task's authoredOn moves with it: the Measures count a Task in the month it was authored.
create function pg_temp.move_authored(body jsonb, resource_type text, back interval) returns jsonb language sql immutable as
$$ select case when resource_type = 'Task' and body ? 'authoredOn'
               then jsonb_set(body, '{authoredOn}', to_jsonb(to_char(((body ->> 'authoredOn')::timestamptz - back) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
               else body end $$;

insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
select m.new_key, v.version, v.resource_type, v.last_updated - m.back, v.method,
       case when v.body is null then null else pg_temp.copy_ids(pg_temp.move_authored(
           case when v.resource_type in ('Patient', 'ServiceRequest', 'Task') and json_typeof(v.body -> 'identifier') = 'array'
                then jsonb_set(v.body::jsonb, '{identifier}', (select jsonb_agg(case when i ? 'value' then jsonb_set(i, '{value}', to_jsonb((i ->> 'value') || 'c' || m.k)) else i end)
                                                        from jsonb_array_elements(v.body::jsonb -> 'identifier') i))
                else v.body::jsonb end, v.resource_type, m.back)::text, m.k)::json end
from keymap m join resource_version v on v.resource_key = m.old_key;

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
select m.new_key, d.resource_type, d.param, d.start_at - m.back, d.end_at - m.back from keymap m join search_date d on d.resource_key = m.old_key;

insert into resource_audience (resource_key, partner_id, may_write, valid_from, valid_until, reason)
select m.new_key, a.partner_id, a.may_write, a.valid_from, a.valid_until, a.reason
from keymap m join resource_audience a on a.resource_key = m.old_key;

-- Closures: the current version of some copies' Tasks, and their status index, say declined or cancelled.
create temp table closed on commit drop as
select m.new_key, case when m.k % 10 = 3 then 'rejected' else 'cancelled' end as status
from keymap m where m.resource_type = 'Task' and m.k % 10 in (3, 7);
update resource_version v set body = jsonb_set(jsonb_set(v.body::jsonb, '{status}', to_jsonb(c.status)), '{statusReason}',
        '{"coding":[{"system":"https://interop-gateway.example/fhir/CodeSystem/referral-business-status","code":"no-capacity"}]}'::jsonb)::json
from closed c join resource r on r.resource_key = c.new_key
where v.resource_key = c.new_key and v.version = r.version;
update search_token t set code = c.status from closed c where t.resource_key = c.new_key and t.param = 'status';
commit;
vacuum (analyze);
