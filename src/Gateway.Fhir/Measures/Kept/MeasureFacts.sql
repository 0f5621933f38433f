-- What the Measures count (issue 19, SPEC §10), kept as data on write: per referral Task, its
-- ServiceRequest, its Patient, and each wellbeing score of a QuestionnaireResponse. An evaluation
-- (Measures/ReferralFacts.sql, WellbeingChange.sql) then joins four narrow tables instead of
-- parsing about five stored bodies a referral, which cost 10–14 s of PostgreSQL CPU over 100,000
-- referrals (docs/performance.md, "Outcome measures").
--
-- Kept by triggers on resource_version, as task_feed is kept by triggers on the index: every write
-- path stores a version row (the writer, the bulk insert, the benchmark's SQL clone), so none can
-- forget these. Each trigger parses the new body once; an update of a stored body (retention
-- rewriting history, a clone closing a copy) works the resource's facts out again.
--
-- Run at every start by SchemaMigrator as a repeatable script: when this text changes, the tables
-- are made again and filled from every stored version (measure_facts_rebuild).

drop view if exists task_facts_derived;
drop table if exists referral_task_fact, referral_request_fact, referral_patient_fact, wellbeing_score cascade;

-- A Task's current state (its newest version) and what its history says: accepted once, first
-- contact when, ever over an SLA.
create table referral_task_fact (
    task_key      bigint      primary key references resource (resource_key) on delete cascade,
    version       integer     not null,
    status        text        not null,
    reason        text        not null,
    provider      text        not null,
    request_id    text, -- the ServiceRequest its focus names; null for a Task that is no referral
    accepted      boolean     not null,
    first_contact timestamptz,
    breached      boolean     not null
);

-- A ServiceRequest's newest version: the programme, the referring practice and the patient.
create table referral_request_fact (
    request_key bigint  primary key references resource (resource_key) on delete cascade,
    version     integer not null,
    programme   text    not null,
    practice    text    not null,
    patient_id  text
);

-- A Patient's newest version: where (postcode district, municipality), born when, sex.
create table referral_patient_fact (
    patient_key  bigint  primary key references resource (resource_key) on delete cascade,
    version      integer not null,
    district     text    not null,
    municipality text    not null,
    birth_date   text,
    sex          text    not null
);

-- Each numeric ONS4 or positive-health answer of a completed (or amended) QuestionnaireResponse's
-- newest version, for each ServiceRequest it is based on.
create table wellbeing_score (
    response_key bigint  not null references resource (resource_key) on delete cascade,
    version      integer not null,
    request_id   text    not null,
    item         text    not null,
    value        numeric not null,
    authored     text
);
create index wellbeing_score_request on wellbeing_score (request_id);
create index wellbeing_score_response on wellbeing_score (response_key);

-- One Task version's facts. first_contact and breached are what this version says; the kept row
-- combines them over the history. `stored` is when the gateway stored the version: a client's
-- Task.lastModified is whatever it sent (often the copy it read).
create or replace function task_version_facts(body jsonb, stored timestamptz,
    out status text, out reason text, out provider text, out request_id text,
    out accepted boolean, out contact timestamptz, out breached boolean)
language sql immutable as $$
    select body->>'status',
           coalesce(body #>> '{statusReason,coding,0,code}', body #>> '{businessStatus,coding,0,code}', 'unspecified'),
           case when body #>> '{owner,reference}' like 'Organization/%' then substr(body #>> '{owner,reference}', 14) else 'unassigned' end,
           case when body #>> '{focus,reference}' like 'ServiceRequest/%' then substr(body #>> '{focus,reference}', 16) end,
           body->>'status' in ('accepted', 'in-progress', 'completed', 'failed'),
           case when body->>'status' in ('in-progress', 'completed')
                  or jsonb_path_exists(body, '$.businessStatus.coding[*] ? (@.code == "intake-booked" || @.code == "intake-held" || @.code == "plan-agreed" || @.code == "activity-started" || @.code == "follow-up-due" || @.code == "got-help")')
                then stored end,
           jsonb_path_exists(body, '$.businessStatus.coding[*] ? (@.code == "acceptance-overdue")')
               or jsonb_path_exists(body, '$.meta.tag[*] ? (@.code == "update-overdue")')
$$;

-- Every Task's kept row, from every stored version (a condition on task_key is pushed into the
-- grouping: one Task's row reads only that Task's versions).
create or replace view task_facts_derived as
    select v.resource_key as task_key, max(v.version) as version,
           (array_agg(f.status order by v.version desc))[1] as status, (array_agg(f.reason order by v.version desc))[1] as reason,
           (array_agg(f.provider order by v.version desc))[1] as provider, (array_agg(f.request_id order by v.version desc))[1] as request_id,
           bool_or(f.accepted) as accepted, min(f.contact) as first_contact, bool_or(f.breached) as breached
    from resource_version v
    cross join lateral task_version_facts(v.body::jsonb, v.last_updated) f
    where v.resource_type = 'Task' and v.body is not null
    group by v.resource_key;

create or replace function request_version_facts(body jsonb, out programme text, out practice text, out patient_id text)
language sql immutable as $$
    -- The programme: the referral-service code, or SNOMED CT 871731000000106 (referral to social prescribing service), as UK GP systems send it.
    select coalesce((select case when c->>'system' = 'http://snomed.info/sct' then 'social-prescribing' else c->>'code' end
                     from jsonb_array_elements(case when jsonb_typeof(body #> '{code,coding}') = 'array' then body #> '{code,coding}' else '[]' end) c
                     where c->>'system' = 'https://interop-gateway.example/fhir/CodeSystem/referral-service'
                        or (c->>'system' = 'http://snomed.info/sct' and c->>'code' = '871731000000106')
                     order by c->>'system' = 'http://snomed.info/sct' limit 1), 'unknown'),
           case when body #>> '{requester,reference}' like 'Organization/%' then substr(body #>> '{requester,reference}', 14) else 'unknown' end,
           case when body #>> '{subject,reference}' like 'Patient/%' then substr(body #>> '{subject,reference}', 9) end
$$;

create or replace function patient_version_facts(body jsonb, out district text, out municipality text, out birth_date text, out sex text)
language sql immutable as $$
    -- The postcode district: a Dutch postcode's four digits, a UK postcode's outward code (PostcodeArea.cs).
    select case when pc.code ~ '^[0-9]{4}' then left(pc.code, 4)
                when pc.raw like '% %' then upper(split_part(pc.raw, ' ', 1))
                when length(pc.code) > 3 then left(pc.code, length(pc.code) - 3)
                else pc.code end,
           upper(coalesce(body #>> '{address,0,district}', '')),
           body->>'birthDate',
           coalesce(body->>'gender', 'unknown')
    from (select trim(coalesce(body #>> '{address,0,postalCode}', '')) as raw,
                 upper(replace(coalesce(body #>> '{address,0,postalCode}', ''), ' ', '')) as code) pc
$$;

create or replace function wellbeing_version_scores(body jsonb, out request_id text, out item text, out value numeric, out authored text)
returns setof record language sql immutable as $$
    select substr(b->>'reference', 16),
           case when body->>'questionnaire' like 'https://interop-gateway.example/fhir/Questionnaire/ons4%' then 'ons4-' else 'positive-health-' end || (i->>'linkId'),
           coalesce(i #>> '{answer,0,valueInteger}', i #>> '{answer,0,valueDecimal}')::numeric,
           body->>'authored'
    from jsonb_array_elements(case when jsonb_typeof(body->'basedOn') = 'array' then body->'basedOn' else '[]' end) b
    cross join jsonb_array_elements(case when jsonb_typeof(body->'item') = 'array' then body->'item' else '[]' end) i
    where body->>'status' in ('completed', 'amended')
      and (body->>'questionnaire' like 'https://interop-gateway.example/fhir/Questionnaire/ons4%'
        or body->>'questionnaire' like 'https://interop-gateway.example/fhir/Questionnaire/positive-health%')
      and b->>'reference' like 'ServiceRequest/%'
      and coalesce(i #>> '{answer,0,valueInteger}', i #>> '{answer,0,valueDecimal}') ~ '^-?[0-9]+(\.[0-9]+)?$'
$$;

-- A stored version's facts into the kept rows. Versions come in order, so an inserted one is the
-- newest; an updated one replaces the current facts only if no newer version is stored.
create or replace function measure_facts_kept() returns trigger language plpgsql as $$
declare
    body jsonb := new.body::jsonb;
begin
    if new.resource_type = 'Task' then
        if tg_op = 'UPDATE' then
            delete from referral_task_fact where task_key = new.resource_key;
            insert into referral_task_fact select * from task_facts_derived where task_key = new.resource_key;
        else
            insert into referral_task_fact as t
            select new.resource_key, new.version, f.status, f.reason, f.provider, f.request_id, f.accepted, f.contact, f.breached
            from task_version_facts(body, new.last_updated) f
            on conflict (task_key) do update set
                version = greatest(t.version, excluded.version),
                status = case when excluded.version > t.version then excluded.status else t.status end,
                reason = case when excluded.version > t.version then excluded.reason else t.reason end,
                provider = case when excluded.version > t.version then excluded.provider else t.provider end,
                request_id = case when excluded.version > t.version then excluded.request_id else t.request_id end,
                accepted = t.accepted or excluded.accepted,
                first_contact = least(t.first_contact, excluded.first_contact),
                breached = t.breached or excluded.breached;
        end if;
    elsif exists (select 1 from resource_version v where v.resource_key = new.resource_key and v.version > new.version) then
        return null;
    elsif new.resource_type = 'ServiceRequest' then
        insert into referral_request_fact as r
        select new.resource_key, new.version, f.* from request_version_facts(body) f
        on conflict (request_key) do update set version = excluded.version, programme = excluded.programme,
            practice = excluded.practice, patient_id = excluded.patient_id;
    elsif new.resource_type = 'Patient' then
        insert into referral_patient_fact as p
        select new.resource_key, new.version, f.* from patient_version_facts(body) f
        on conflict (patient_key) do update set version = excluded.version, district = excluded.district,
            municipality = excluded.municipality, birth_date = excluded.birth_date, sex = excluded.sex;
    else
        delete from wellbeing_score where response_key = new.resource_key;
        insert into wellbeing_score select new.resource_key, new.version, s.* from wellbeing_version_scores(body) s;
    end if;
    return null;
end
$$;

-- WHEN is checked without calling the function: every other type's version pays next to nothing.
-- A deleted resource's version has no body; the evaluation leaves deleted resources out itself.
drop trigger if exists measure_facts_kept on resource_version;
create trigger measure_facts_kept after insert or update of body on resource_version for each row
    when (new.resource_type in ('Task', 'ServiceRequest', 'Patient', 'QuestionnaireResponse') and new.body is not null)
    execute function measure_facts_kept();

-- The newest stored body of every resource of a type, parsed once.
create or replace function newest_versions(of_type text)
returns table (resource_key bigint, version integer, body jsonb) language sql stable as $$
    select v.resource_key, v.version, v.body::jsonb
    from (select distinct on (resource_key) resource_key, version, body from resource_version
          where resource_type = of_type and body is not null order by resource_key, version desc) v
$$;

-- Every kept row again, from every stored version: this script's first run, and a test that
-- compares it with what the triggers kept (MeasureFactTests).
create or replace function measure_facts_rebuild() returns void language sql as $$
    truncate referral_task_fact, referral_request_fact, referral_patient_fact, wellbeing_score;
    insert into referral_task_fact select * from task_facts_derived;
    insert into referral_request_fact
    select v.resource_key, v.version, f.* from newest_versions('ServiceRequest') v cross join lateral request_version_facts(v.body) f;
    insert into referral_patient_fact
    select v.resource_key, v.version, f.* from newest_versions('Patient') v cross join lateral patient_version_facts(v.body) f;
    insert into wellbeing_score
    select v.resource_key, v.version, s.* from newest_versions('QuestionnaireResponse') v cross join lateral wellbeing_version_scores(v.body) s;
$$;

select measure_facts_rebuild();
analyze referral_task_fact, referral_request_fact, referral_patient_fact, wellbeing_score;
