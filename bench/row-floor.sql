-- PostgreSQL's floor for a wor-export row (issue 18, docs/performance.md "Issue 18, thirteenth pass"):
-- what 5,000 file rows write (the raw rows, two Task versions each, a quarter of the referrals'
-- ServiceRequest versions, the Tasks' changed index rows, 1.25 Provenance and 0.5 measures a row
-- with their index, audience and score rows, the facts, feed and outbox rows), in ten chunks of 500
-- each in its own transaction, by plain set-based SQL with every trigger off and nothing read that
-- is not needed. It prints the backend's CPU ticks (from /proc) before and after.
--
-- On a store kept by `KEEP=1 ROWS=10000 bench/wor-export.sh` (the cluster started by hand, as the
-- user that owns its folder), a fresh tag each run:
--
--   psql -h 127.0.0.1 -p PORT -U gateway gateway -v run=r1 -f bench/row-floor.sql
--
-- It adds to the store (and its fl_* tables): run it on a copy, with psql on the server's machine (/proc).
select pg_backend_pid() as pid \gset
\setenv PID :pid
set session_replication_role = replica;
select set_config('fl.run', :'run', false);
drop table if exists fl_tasks, fl_prov_t, fl_qr_t;
create table fl_tasks as select r.resource_key, r.version, row_number() over (order by r.resource_key) - 1 as n from resource r where r.resource_type = 'Task' order by r.resource_key limit 5000;
create table fl_prov_t as select v.body, r.resource_key from resource r join resource_version v on v.resource_key = r.resource_key and v.version = 1 where r.resource_type = 'Provenance' order by r.resource_key desc limit 1;
create table fl_qr_t as select v.body, r.resource_key from resource r join resource_version v on v.resource_key = r.resource_key and v.version = 1 where r.resource_type = 'QuestionnaireResponse' order by r.resource_key desc limit 1;
analyze fl_tasks;
\! echo -n "cpu before: "; awk '{print $14+$15}' /proc/$PID/stat
do $$
declare c int; t0 timestamptz := clock_timestamp(); records text[]; keys bigint[]; pkeys bigint[]; qkeys bigint[]; sr bigint[];
begin
for c in 0..9 loop
  -- the raw rows, stored first (own transaction)
  with n as (insert into partner_record (record_id, partner_id, format, record_key, received_at, source, batch_id, row_number, body, state)
    select record_id || '-fl' || c || current_setting('fl.run'), partner_id, format, record_key || '-fl' || c || current_setting('fl.run'), now(), source, batch_id, row_number, body, 'received'
    from partner_record where state = 'applied' order by record_id limit 500 returning record_id)
    select array_agg(record_id) into records from n;
  commit;
  select array_agg(resource_key) into keys from fl_tasks where n / 500 = c;
  -- the held Tasks read back
  perform count(v.body::text) from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version where r.resource_key = any(keys);
  -- two Task versions each, the current row moved
  insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
    select r.resource_key, r.version + s, 'Task', now(), 'PUT', v.body from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version cross join generate_series(1, 2) s where r.resource_key = any(keys);
  update resource set version = version + 2, last_updated = now() where resource_key = any(keys);
  -- a quarter of the referrals complete: their ServiceRequest gets a version
  select array_agg(t.target_key) into sr from (select r2.resource_key as target_key from search_reference b join resource r2 on r2.resource_type = 'ServiceRequest' and r2.resource_id = b.target_id where b.resource_key = any(keys[1:125]) and b.param = 'based-on') t;
  insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
    select r.resource_key, r.version + 1, 'ServiceRequest', now(), 'PUT', v.body from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version where r.resource_key = any(sr);
  update resource set version = version + 1, last_updated = now() where resource_key = any(sr);
  -- the Tasks' index rows that differ: status, business-status, modified
  delete from search_token where resource_key = any(keys) and param in ('status', 'business-status');
  insert into search_token (resource_key, resource_type, param, system, code) select k, 'Task', p, 'http://hl7.org/fhir/task-status', 'in-progress' from unnest(keys) k cross join (values ('status'), ('business-status')) x(p);
  delete from search_date where resource_key = any(keys) and param = 'modified';
  insert into search_date (resource_key, resource_type, param, start_at, end_at) select k, 'Task', 'modified', now(), now() from unnest(keys) k;
  -- 625 new Provenance: current row, version, 2 tokens, 1 date, 2 references, 2 audience rows each
  with n as (insert into resource (resource_type, resource_id, version, last_updated, is_deleted) select 'Provenance', 'fl-' || current_setting('fl.run') || c || '-' || i, 1, now(), false from generate_series(1, 625) i returning resource_key)
    select array_agg(resource_key) into pkeys from n;
  insert into resource_version (resource_key, version, resource_type, last_updated, method, body) select k, 1, 'Provenance', now(), 'POST', (select body from fl_prov_t) from unnest(pkeys) k;
  insert into search_token (resource_key, resource_type, param, system, code) select k, 'Provenance', 'agent-type', 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', x from unnest(pkeys) k cross join (values ('author'), ('custodian')) v(x);
  insert into search_date (resource_key, resource_type, param, start_at, end_at) select k, 'Provenance', 'recorded', now(), now() from unnest(pkeys) k;
  insert into search_reference (resource_key, resource_type, param, target_type, target_id) select k, 'Provenance', p, 'Task', 'task-' || k from unnest(pkeys) k cross join (values ('target'), ('entity')) v(p);
  insert into resource_audience (resource_key, partner_id, may_write, valid_from, valid_until, reason) select k, p, false, '-infinity', 'infinity', 'referral' from unnest(pkeys) k cross join (values ('gp-de-brug'), ('wor-kampen')) v(p);
  -- 250 new measures: current row, version, 1 token, 1 date, 4 references, 3 audience rows, 6 scores each
  with n as (insert into resource (resource_type, resource_id, version, last_updated, is_deleted, created_by) select 'QuestionnaireResponse', 'fl-' || current_setting('fl.run') || c || '-' || i, 1, now(), false, 'wor-kampen' from generate_series(1, 250) i returning resource_key)
    select array_agg(resource_key) into qkeys from n;
  insert into resource_version (resource_key, version, resource_type, last_updated, method, body) select k, 1, 'QuestionnaireResponse', now(), 'POST', (select body from fl_qr_t) from unnest(qkeys) k;
  insert into search_token (resource_key, resource_type, param, system, code) select k, 'QuestionnaireResponse', 'status', null, 'completed' from unnest(qkeys) k;
  insert into search_date (resource_key, resource_type, param, start_at, end_at) select k, 'QuestionnaireResponse', 'authored', now(), now() from unnest(qkeys) k;
  insert into search_reference (resource_key, resource_type, param, target_type, target_id) select k, 'QuestionnaireResponse', p, 'ServiceRequest', 'sr-' || k from unnest(qkeys) k cross join (values ('subject'), ('based-on'), ('patient'), ('questionnaire')) v(p);
  insert into resource_audience (resource_key, partner_id, may_write, valid_from, valid_until, reason) select k, p, false, '-infinity', 'infinity', 'measures' from unnest(qkeys) k cross join (values ('gp-de-brug'), ('wor-kampen'), ('gp-other')) v(p);
  insert into wellbeing_score (response_key, version, request_id, item, value, authored) select k, 1, 'sr-' || k, 'item-' || i, 5, '2026-10-02' from unnest(qkeys) k cross join generate_series(1, 6) i;
  -- derived rows that follow the Tasks: facts, feed, two notifications each
  update referral_task_fact set version = version + 2, status = 'in-progress', accepted = true where task_key = any(keys);
  update task_feed set last_updated = now() where resource_key = any(keys);
  insert into notification_outbox (kind, target, resource_type, resource_id, resource_version, created_at, next_attempt_at) select kind, target, resource_type, resource_id, resource_version, now(), now() from notification_outbox limit 1000;
  -- the raw rows marked applied
  update partner_record set state = 'applied', processed_at = now(), produced = '[{"resourceType":"Task"}]' where record_id like '%-fl' || c and record_id in (select record_id from partner_record where record_id like '%-fl' || c);
  commit;
end loop;
raise notice 'wall % ', clock_timestamp() - t0;
end $$;
\! echo -n "cpu after: "; awk '{print $14+$15}' /proc/$PID/stat
