-- What the Measures count (issue 19, SPEC §10), kept as data on write: per referral Task, its
-- ServiceRequest, its Patient, and each wellbeing score of a QuestionnaireResponse. An evaluation
-- (Measures/ReferralFacts.sql, WellbeingChange.sql) then joins four narrow tables instead of
-- parsing about five stored bodies a referral, which cost 10–14 s of PostgreSQL CPU over 100,000
-- referrals (docs/performance.md, "Outcome measures").
--
-- Kept by triggers on resource_version, as task_feed is kept by triggers on the index: every write
-- path stores a version row (the writer, the bulk insert, the benchmark's SQL clone), so none can
-- forget these. A statement's new versions are folded in together, each body parsed once; an
-- update of a stored version (retention rewriting history, the demo history moving its Tasks back
-- in time, a clone closing a copy) works the resource's facts out again.
--
-- Run at every start by SchemaMigrator as a repeatable script: when this text changes, the tables
-- are made again and filled from every stored version (measure_facts_rebuild).

-- Functions by name alone (each name is one function), so a changed signature is dropped too;
-- cascade takes the views built on them.
drop function if exists task_version_facts, request_version_facts, patient_version_facts, wellbeing_version_scores,
    fhir_instant, measure_facts_refresh, measure_facts_rebuild, measure_facts_purged cascade;
drop view if exists task_facts_derived, request_facts_derived, patient_facts_derived, wellbeing_scores_derived, current_version;
drop table if exists referral_task_fact, referral_request_fact, referral_patient_fact, wellbeing_score cascade;

-- Rows only for resources that are not deleted: a version without a body (a delete) removes the
-- resource's rows, so an evaluation needs no join to the resource table. The rows join on the
-- resource ids the references name.

-- A Task's current state (its newest version) and what its history says: accepted once, first
-- contact when, ever over an SLA.
create table referral_task_fact (
    task_key      bigint      primary key references resource (resource_key) on delete cascade,
    version       integer     not null,
    authored      timestamptz, -- Task.authoredOn: which period counts it
    status        text        not null,
    reason        text        not null,
    provider      text        not null,
    request_id    text, -- the ServiceRequest its focus names; null for a Task that is no referral
    accepted      boolean     not null,
    first_contact timestamptz,
    breached      boolean     not null
) with (fillfactor = 50); -- room on its page for the new row versions a chunk's Task moves write, so the updates are HOT (issue 18)
create index referral_task_fact_authored on referral_task_fact (authored);

-- A ServiceRequest's newest version: the programme, the referring practice and the patient.
create table referral_request_fact (
    request_key bigint  primary key references resource (resource_key) on delete cascade,
    request_id  text    not null unique,
    version     integer not null,
    programme   text    not null,
    practice    text    not null,
    patient_id  text
);

-- A Patient's newest version: where (postcode district, municipality), born when (the year, and
-- the month and day when the whole date is known), sex.
create table referral_patient_fact (
    patient_key     bigint  primary key references resource (resource_key) on delete cascade,
    patient_id      text    not null unique,
    version         integer not null,
    district        text    not null,
    municipality    text    not null,
    birth_year      integer,
    birth_month_day text, -- 'MM-DD'
    sex             text    not null
);

-- Each numeric ONS4 or positive-health answer of a completed (or amended) QuestionnaireResponse's
-- newest version, for each ServiceRequest it is based on. No foreign key: a measure's six answers
-- were six checks of resource's key, each a row trigger (issue 18, twelfth pass); the one thing
-- the key did, removing the rows with their resource, measure_facts_purged below does.
create table wellbeing_score (
    response_key bigint  not null,
    version      integer not null,
    request_id   text    not null,
    item         text    not null,
    value        numeric not null,
    authored     text
);
create index wellbeing_score_request on wellbeing_score (request_id);
create index wellbeing_score_response on wellbeing_score (response_key);

-- The functions below are PL/pgSQL: a trigger calls them once a row, and PostgreSQL keeps a
-- PL/pgSQL function's plans for the session, where an SQL function called from a query is planned
-- again at every call (it made a Patient's write cost three times as much).

-- A FHIR dateTime as an instant (a date alone, or a partial one, at its start in UTC); null when it
-- is none. Checked before the cast, without an exception block (a subtransaction a call) and
-- without capturing groups (regexp_match cost four times the cast): a trigger that threw would
-- refuse the write that fired it.
create or replace function fhir_instant(value text) returns timestamptz language plpgsql immutable as $$
declare
    y int;
    m int;
    d int;
    days_in_month int;
begin
    if value !~ '^\d{4}(-\d\d(-\d\d(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-](0\d|1[0-4]):[0-5]\d))?)?)?$' then
        return null;
    end if;
    y := substr(value, 1, 4)::int;
    m := coalesce(nullif(substr(value, 6, 2), '')::int, 1);
    d := coalesce(nullif(substr(value, 9, 2), '')::int, 1);
    days_in_month := case when m = 2 and y % 4 = 0 and (y % 100 <> 0 or y % 400 = 0) then 29 when m = 2 then 28
                          when m in (4, 6, 9, 11) then 30 else 31 end;
    if y < 1 or m not between 1 and 12 or d not between 1 and days_in_month then
        return null;
    elsif length(value) > 10 then
        return value::timestamptz;
    end if;
    return make_date(y, m, d)::timestamp at time zone 'UTC';
end
$$;

-- One Task version's facts. contact and breached are what this version says; the kept row combines
-- them over the history. `stored` is when the gateway stored the version: a client's
-- Task.lastModified is whatever it sent (often the copy it read). authored_on is the text: only
-- the newest version's is read as an instant (fhir_instant), once a Task rather than once a version.
-- The codes are looked for by containment (@>), a third of what jsonb_path_exists cost: a FHIR
-- Task's businessStatus.coding and meta.tag are arrays of Codings, each code a string.
create or replace function task_version_facts(body jsonb, stored timestamptz,
    out authored_on text, out status text, out reason text, out provider text, out request_id text,
    out accepted boolean, out contact timestamptz, out breached boolean)
language plpgsql immutable as $$
declare
    business jsonb := coalesce(body #> '{businessStatus,coding}', '[]');
    owner text := body #>> '{owner,reference}';
    focus text := body #>> '{focus,reference}';
begin
    authored_on := body->>'authoredOn';
    status := body->>'status';
    reason := coalesce(body #>> '{statusReason,coding,0,code}', body #>> '{businessStatus,coding,0,code}', 'unspecified');
    provider := case when owner like 'Organization/%' then substr(owner, 14) else 'unassigned' end;
    request_id := case when focus like 'ServiceRequest/%' then substr(focus, 16) end;
    accepted := status in ('accepted', 'in-progress', 'completed', 'failed');
    contact := case when status in ('in-progress', 'completed')
                      or business @> '[{"code": "intake-booked"}]' or business @> '[{"code": "intake-held"}]'
                      or business @> '[{"code": "plan-agreed"}]' or business @> '[{"code": "activity-started"}]'
                      or business @> '[{"code": "follow-up-due"}]' or business @> '[{"code": "got-help"}]'
                    then stored end;
    breached := business @> '[{"code": "acceptance-overdue"}]' or body @> '{"meta": {"tag": [{"code": "update-overdue"}]}}';
end
$$;

create or replace function request_version_facts(body jsonb, out programme text, out practice text, out patient_id text)
language plpgsql immutable as $$
begin
    -- The programme: the referral-service code, or SNOMED CT 871731000000106 (referral to social prescribing service), as UK GP systems send it.
    programme := coalesce((select case when c->>'system' = 'http://snomed.info/sct' then 'social-prescribing' else c->>'code' end
                           from jsonb_array_elements(case when jsonb_typeof(body #> '{code,coding}') = 'array' then body #> '{code,coding}' else '[]' end) c
                           where c->>'system' = 'https://interop-gateway.example/fhir/CodeSystem/referral-service'
                              or (c->>'system' = 'http://snomed.info/sct' and c->>'code' = '871731000000106')
                           order by c->>'system' = 'http://snomed.info/sct' limit 1), 'unknown');
    practice := case when body #>> '{requester,reference}' like 'Organization/%' then substr(body #>> '{requester,reference}', 14) else 'unknown' end;
    patient_id := case when body #>> '{subject,reference}' like 'Patient/%' then substr(body #>> '{subject,reference}', 9) end;
end
$$;

create or replace function patient_version_facts(body jsonb, out district text, out municipality text,
    out birth_year integer, out birth_month_day text, out sex text)
language plpgsql immutable as $$
declare
    raw text := trim(coalesce(body #>> '{address,0,postalCode}', ''));
    code text := upper(replace(raw, ' ', ''));
    born text := body->>'birthDate';
begin
    -- The postcode district: a Dutch postcode's four digits, a UK postcode's outward code (PostcodeArea.cs).
    district := case when code ~ '^[0-9]{4}' then left(code, 4)
                     when raw like '% %' then upper(split_part(raw, ' ', 1))
                     when length(code) > 3 then left(code, length(code) - 3)
                     else code end;
    municipality := upper(coalesce(body #>> '{address,0,district}', ''));
    birth_year := case when born ~ '^\d{4}' then left(born, 4)::integer end;
    birth_month_day := case when born ~ '^\d{4}-\d\d-\d\d$' then substr(born, 6, 5) end;
    sex := coalesce(body->>'gender', 'unknown');
end
$$;

create or replace function wellbeing_version_scores(body jsonb, out request_id text, out item text, out value numeric, out authored text)
returns setof record language plpgsql immutable as $$
begin
    return query
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
      and coalesce(i #>> '{answer,0,valueInteger}', i #>> '{answer,0,valueDecimal}') ~ '^-?[0-9]+(\.[0-9]+)?$';
end
$$;

-- What the rows of each table are, derived from the stored versions of the resources that are not
-- deleted. A condition on the first column reaches the scans: one resource's rows read only its
-- versions.
create or replace view task_facts_derived as
    select v.resource_key as task_key, max(v.version) as version, fhir_instant((array_agg(f.authored_on order by v.version desc))[1]) as authored,
           (array_agg(f.status order by v.version desc))[1] as status, (array_agg(f.reason order by v.version desc))[1] as reason,
           (array_agg(f.provider order by v.version desc))[1] as provider, (array_agg(f.request_id order by v.version desc))[1] as request_id,
           bool_or(f.accepted) as accepted, min(f.contact) as first_contact, bool_or(f.breached) as breached
    from resource_version v
    join resource r on r.resource_key = v.resource_key and not r.is_deleted
    cross join lateral task_version_facts(v.body::jsonb, v.last_updated) f
    where v.resource_type = 'Task' and v.body is not null
    group by v.resource_key;

-- A resource's current version: its current row moves to a new version before the version is stored.
create or replace view current_version as
    select r.resource_key, r.resource_id, r.resource_type, r.version, v.body
    from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
    where not r.is_deleted;

create or replace view request_facts_derived as
    select v.resource_key as request_key, v.resource_id as request_id, v.version, f.*
    from current_version v cross join lateral request_version_facts(v.body::jsonb) f
    where v.resource_type = 'ServiceRequest' and v.body is not null;

create or replace view patient_facts_derived as
    select v.resource_key as patient_key, v.resource_id as patient_id, v.version, f.*
    from current_version v cross join lateral patient_version_facts(v.body::jsonb) f
    where v.resource_type = 'Patient' and v.body is not null;

create or replace view wellbeing_scores_derived as
    select v.resource_key as response_key, v.version, s.*
    from current_version v cross join lateral wellbeing_version_scores(v.body::jsonb) s
    where v.resource_type = 'QuestionnaireResponse' and v.body is not null;

-- One resource's rows again, from its stored versions.
create or replace function measure_facts_refresh(of_type text, key bigint) returns void language plpgsql as $$
begin
    case of_type
        when 'Task' then
            delete from referral_task_fact where task_key = key;
            insert into referral_task_fact select * from task_facts_derived where task_key = key;
        when 'ServiceRequest' then
            delete from referral_request_fact where request_key = key;
            insert into referral_request_fact select * from request_facts_derived where request_key = key;
        when 'Patient' then
            delete from referral_patient_fact where patient_key = key;
            insert into referral_patient_fact select * from patient_facts_derived where patient_key = key;
        else
            delete from wellbeing_score where response_key = key;
            insert into wellbeing_score select * from wellbeing_scores_derived where response_key = key;
    end case;
end
$$;

-- A statement's new versions into the kept rows, all at once (issue 18: a chunk of records stores
-- hundreds of versions in one statement, and a row trigger's plumbing and upsert per version cost
-- more than working out the facts). A delete removes the resource's rows. A Task's versions are
-- folded in, one upsert a Task: its newest version's state, its history flags from all of them.
-- A Task with no kept row whose versions here all come after its first (made again after a
-- delete) is derived again from what is stored first; folding its versions in after that changes
-- nothing. Another type's rows come from its newest version here, unless a newer one is stored.
create or replace function measure_facts_added() returns trigger language plpgsql as $$
declare
    key bigint;
    deletes boolean;
    tasks boolean;
    requests boolean;
    patients boolean;
    responses boolean;
    later_responses boolean;
begin
    -- One look at what the statement stored, so each part below runs only when it has rows to do.
    select coalesce(bool_or(a.body is null), false), coalesce(bool_or(a.resource_type = 'Task'), false),
           coalesce(bool_or(a.resource_type = 'ServiceRequest'), false), coalesce(bool_or(a.resource_type = 'Patient'), false),
           coalesce(bool_or(a.resource_type = 'QuestionnaireResponse'), false),
           coalesce(bool_or(a.resource_type = 'QuestionnaireResponse' and a.version > 1), false)
    into deletes, tasks, requests, patients, responses, later_responses
    from added a where a.resource_type in ('Task', 'ServiceRequest', 'Patient', 'QuestionnaireResponse');

    if deletes then
        delete from referral_task_fact f using added a where a.body is null and f.task_key = a.resource_key;
        delete from referral_request_fact f using added a where a.body is null and f.request_key = a.resource_key;
        delete from referral_patient_fact f using added a where a.body is null and f.patient_key = a.resource_key;
        delete from wellbeing_score f using added a where a.body is null and f.response_key = a.resource_key;
    end if;

    if tasks then
        -- One probe a Task, not a version (a chunk stores two versions of each of its Tasks).
        for key in
            select n.resource_key
            from (select a.resource_key from added a where a.resource_type = 'Task' and a.body is not null
                  group by a.resource_key having min(a.version) > 1) n
            where not exists (select 1 from referral_task_fact t where t.task_key = n.resource_key)
        loop
            perform measure_facts_refresh('Task', key);
        end loop;

        insert into referral_task_fact as t
        select a.resource_key, max(a.version), fhir_instant((array_agg(f.authored_on order by a.version desc))[1]), (array_agg(f.status order by a.version desc))[1],
               (array_agg(f.reason order by a.version desc))[1], (array_agg(f.provider order by a.version desc))[1],
               (array_agg(f.request_id order by a.version desc))[1], bool_or(f.accepted), min(f.contact), bool_or(f.breached)
        from added a cross join lateral task_version_facts(a.body::jsonb, a.last_updated) f
        where a.resource_type = 'Task' and a.body is not null
          -- Only a statement with deletes reads the versions twice (a chunk's Task moves have none).
          and (not deletes or not exists (select 1 from added d where d.resource_key = a.resource_key and d.body is null and d.version > a.version))
        group by a.resource_key
        on conflict (task_key) do update set
            version = greatest(t.version, excluded.version),
            authored = case when excluded.version > t.version then excluded.authored else t.authored end,
            status = case when excluded.version > t.version then excluded.status else t.status end,
            reason = case when excluded.version > t.version then excluded.reason else t.reason end,
            provider = case when excluded.version > t.version then excluded.provider else t.provider end,
            request_id = case when excluded.version > t.version then excluded.request_id else t.request_id end,
            accepted = t.accepted or excluded.accepted,
            first_contact = least(t.first_contact, excluded.first_contact),
            breached = t.breached or excluded.breached;
    end if;

    -- Another type: each resource's newest version here (one statement's rows come in any order),
    -- unless a newer one is stored already.
    if requests then
        insert into referral_request_fact as r
        select n.resource_key, c.resource_id, n.version, f.*
        from (select distinct on (a.resource_key) a.resource_key, a.version, a.body from added a
              where a.resource_type = 'ServiceRequest' order by a.resource_key, a.version desc) n
        join resource c on c.resource_key = n.resource_key
        cross join lateral request_version_facts(n.body::jsonb) f
        where n.body is not null and not exists (select 1 from resource_version v where v.resource_key = n.resource_key and v.version > n.version)
        on conflict (request_key) do update set version = excluded.version, programme = excluded.programme,
            practice = excluded.practice, patient_id = excluded.patient_id;
    end if;

    if patients then
        insert into referral_patient_fact as p
        select n.resource_key, c.resource_id, n.version, f.*
        from (select distinct on (a.resource_key) a.resource_key, a.version, a.body from added a
              where a.resource_type = 'Patient' order by a.resource_key, a.version desc) n
        join resource c on c.resource_key = n.resource_key
        cross join lateral patient_version_facts(n.body::jsonb) f
        where n.body is not null and not exists (select 1 from resource_version v where v.resource_key = n.resource_key and v.version > n.version)
        on conflict (patient_key) do update set version = excluded.version, district = excluded.district, municipality = excluded.municipality,
            birth_year = excluded.birth_year, birth_month_day = excluded.birth_month_day, sex = excluded.sex;
    end if;

    -- Every measure here brand new (version 1, as a chunk's measures are): none has a newer
    -- version stored or rows kept from an older one, so neither is looked for. Only a resource's
    -- create stores its version 1, before any later version.
    if responses and not later_responses then
        insert into wellbeing_score select a.resource_key, a.version, s.* from added a
        cross join lateral wellbeing_version_scores(a.body::jsonb) s
        where a.resource_type = 'QuestionnaireResponse' and a.body is not null;
    elsif responses then
        with newest as materialized (
            select n.resource_key, n.version, n.body::jsonb as body
            from (select distinct on (a.resource_key) a.resource_key, a.version, a.body from added a
                  where a.resource_type = 'QuestionnaireResponse' order by a.resource_key, a.version desc) n
            where n.body is not null and not exists (select 1 from resource_version v where v.resource_key = n.resource_key and v.version > n.version)),
        cleared as (delete from wellbeing_score w using newest n where w.response_key = n.resource_key)
        insert into wellbeing_score select n.resource_key, n.version, s.* from newest n cross join lateral wellbeing_version_scores(n.body) s;
    end if;
    return null;
end
$$;

-- A stored version rewritten in place (retention, the demo history's dates, a clone closing a
-- copy): the resource's rows derived again from what is stored, or removed with its body.
create or replace function measure_facts_rewritten() returns trigger language plpgsql as $$
begin
    if new.body is null then
        delete from referral_task_fact where task_key = new.resource_key;
        delete from referral_request_fact where request_key = new.resource_key;
        delete from referral_patient_fact where patient_key = new.resource_key;
        delete from wellbeing_score where response_key = new.resource_key;
    else
        perform measure_facts_refresh(new.resource_type, new.resource_key);
    end if;
    return null;
end
$$;

drop trigger if exists measure_facts_kept on resource_version;
drop function if exists measure_facts_kept();
drop trigger if exists measure_facts_added on resource_version;
create trigger measure_facts_added after insert on resource_version referencing new table as added
    for each statement execute function measure_facts_added();
-- WHEN is checked without calling the function: every other type's version pays next to nothing.
-- A resource deleted for good (ResourcePurge) takes its scores with it, as the other tables'
-- foreign keys cascade.
create function measure_facts_purged() returns trigger language plpgsql as $$
begin
    delete from wellbeing_score w using purged p where w.response_key = p.resource_key;
    return null;
end
$$;

drop trigger if exists measure_facts_purged on resource;
create trigger measure_facts_purged after delete on resource referencing old table as purged
    for each statement execute function measure_facts_purged();
drop trigger if exists measure_facts_rewritten on resource_version;
create trigger measure_facts_rewritten after update of body, last_updated on resource_version for each row
    when (new.resource_type in ('Task', 'ServiceRequest', 'Patient', 'QuestionnaireResponse'))
    execute function measure_facts_rewritten();

-- Every kept row again, from every stored version: this script's first run, and a test that
-- compares it with what the triggers kept (MeasureFactTests).
create or replace function measure_facts_rebuild() returns void language sql as $$
    truncate referral_task_fact, referral_request_fact, referral_patient_fact, wellbeing_score;
    insert into referral_task_fact select * from task_facts_derived;
    insert into referral_request_fact select * from request_facts_derived;
    insert into referral_patient_fact select * from patient_facts_derived;
    insert into wellbeing_score select * from wellbeing_scores_derived;
$$;

select measure_facts_rebuild();
analyze referral_task_fact, referral_request_fact, referral_patient_fact, wellbeing_score;
