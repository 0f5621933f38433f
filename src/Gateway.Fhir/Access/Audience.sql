-- The audience of every stored resource (SPEC §8, docs/security.md): which partner may read it,
-- which may change it, and from when until when. Kept as data on write by refresh_audience, so
-- a read or search asks one indexed table (PartnerVisibility) instead of working it out per row.
-- Run at every start by SchemaMigrator as a repeatable script: when this text changes, every
-- resource's audience is derived again.
--
-- Each rule below is one row of the access table in docs/security.md. Public types (the partner
-- directory, the conformance resources) and an operator's view (by type, nothing clinical) need
-- no rows: PartnerVisibility decides those by type alone.

create table if not exists resource_audience (
    resource_key bigint      not null,
    partner_id   text        not null,
    may_write    boolean     not null,
    valid_from   timestamptz not null,
    valid_until  timestamptz not null,
    -- Which rule gave the row: created, requester, owner, provider, referral, trail, consent.
    reason       text        not null
);
create index if not exists resource_audience_partner on resource_audience (partner_id, resource_key);
create index if not exists resource_audience_resource on resource_audience (resource_key);

-- No foreign key to resource (issue 18, twelfth pass), as the index tables have none (migration
-- 0043): each audience row was a check of resource's key, a row trigger, about 100,000 for a
-- 27,500-row wor-export file. The rows are written only here, for resources that exist, in the
-- transaction that writes them. What the key's cascade did, audience_purged does: a resource
-- deleted for good (ResourcePurge) takes its rows with it.
alter table resource_audience drop constraint if exists resource_audience_resource_key_fkey;

create or replace function audience_purged() returns trigger language plpgsql as $$
begin
    delete from resource_audience a using purged p where a.resource_key = p.resource_key;
    return null;
end
$$;

drop trigger if exists audience_purged on resource;
create trigger audience_purged after delete on resource referencing old table as purged
    for each statement execute function audience_purged();

drop view if exists consent_window; -- an earlier form of consent_windows below

-- A Task's owner; and when an active Consent lets a partner see a patient (SPEC §5): the
-- Consent's provision.actor, within its provision.period if it has one, and which Consent says so
-- (the referral feed shows it: PartnerConsents). Asked by the Task and by the patient only.
-- Functions in PL/pgSQL, so the planner can neither inline them nor drive the rules below from
-- the partner's side: joined on the partner id, it walked every Task the partner owns and every
-- Consent naming it (its estimate for one organisation's rows is 1), so each write cost more as
-- the store grew (0.1 ms with 500 referrals, tens of ms with 100,000).
create or replace function task_owner(task_key bigint)
returns table (owner text) language plpgsql stable set plan_cache_mode = force_generic_plan as $$
begin
    return query select o.target_id from search_reference o
                 where o.resource_key = task_key and o.param = 'owner' and o.target_type = 'Organization';
end
$$;

drop function if exists consent_windows(text); -- an earlier form without the Consent's key
create function consent_windows(patient text)
returns table (partner_id text, valid_from timestamptz, valid_until timestamptz, consent_key bigint)
language plpgsql stable as $$
#variable_conflict use_column
begin
    -- The rule itself is consent_windows_for (at the end of this file), asked for one patient.
    return query select w.partner_id, w.valid_from, w.valid_until, w.consent_key from consent_windows_for(array[patient]) w;
end
$$;

-- The rules, for the resources in keys. PL/pgSQL rather than SQL so PostgreSQL keeps the plan of
-- each query per connection: planning its joins afresh took several milliseconds a write.
-- Each rule is a statement of its own, run only when keys hold a resource of the types it is about
-- (issue 18): one union of every rule cost 1 to 1.5 ms a call on the 100,000-referral store even
-- for a new Patient, most of it in rules that could match nothing (each still starts its plan and
-- probes its indexes), and the outcome measures' rule read every measure's based-on row.
create or replace function audience_rows(keys bigint[])
returns table (resource_key bigint, partner_id text, may_write boolean, valid_from timestamptz, valid_until timestamptz, reason text)
-- Generic plans from the first call: the keys are always a handful, whatever their values.
language plpgsql stable set plan_cache_mode = force_generic_plan as $$
#variable_conflict use_column
declare
    types text[];
begin
    -- Every partner sees and may change what its own clients created (a GP its Patient before
    -- any referral names it, a provider the outcome measures it sent).
    return query
    select r.resource_key, r.created_by, true, '-infinity'::timestamptz, 'infinity'::timestamptz, 'created'
    from resource r
    where r.resource_key = any(keys) and r.created_by is not null;

    select array_agg(distinct r.resource_type) into types from resource r where r.resource_key = any(keys);

    if types && array['ServiceRequest', 'Task'] then
        -- A referral's requester and a Task's owner may read and change them.
        return query
        select x.resource_key, x.target_id, true, '-infinity'::timestamptz, 'infinity'::timestamptz, x.param
        from search_reference x
        where x.resource_key = any(keys) and x.target_type = 'Organization'
          and ((x.resource_type = 'ServiceRequest' and x.param = 'requester')
            or (x.resource_type = 'Task' and x.param in ('requester', 'owner')));
    end if;

    if 'HealthcareService' = any(types) then
        -- A directory entry's provider keeps it up to date (its capacity above all, SPEC §11); everyone reads it by type.
        return query
        select x.resource_key, x.target_id, true, '-infinity'::timestamptz, 'infinity'::timestamptz, 'provider'
        from search_reference x
        where x.resource_key = any(keys) and x.resource_type = 'HealthcareService' and x.param = 'organization' and x.target_type = 'Organization';
    end if;

    if types && array['Task', 'QuestionnaireResponse'] then
        -- The requester reads the Tasks and outcome measures of its referrals.
        return query
        select y.resource_key, q.target_id, false, '-infinity'::timestamptz, 'infinity'::timestamptz, 'referral'
        from search_reference y
        join resource sr on sr.resource_type = 'ServiceRequest' and sr.resource_id = y.target_id
        join search_reference q on q.resource_key = sr.resource_key and q.param = 'requester' and q.target_type = 'Organization'
        where y.resource_key = any(keys) and y.resource_type in ('Task', 'QuestionnaireResponse')
          and y.param in ('based-on', 'focus') and y.target_type = 'ServiceRequest';
    end if;

    if 'Patient' = any(types) then
        -- The requester reads the patients of its referrals.
        return query
        select p.resource_key, q.target_id, false, '-infinity'::timestamptz, 'infinity'::timestamptz, 'referral'
        from resource p
        join search_reference s on s.resource_type = 'ServiceRequest' and s.param = 'subject' and s.target_type = 'Patient' and s.target_id = p.resource_id
        join search_reference q on q.resource_key = s.resource_key and q.param = 'requester' and q.target_type = 'Organization'
        where p.resource_key = any(keys) and p.resource_type = 'Patient';

        -- A Task's owner reads the patient while the patient's Consent names it (and the referral and its measures, below).
        -- The Consents of all the keys' patients are asked for at once, here and in the two rules
        -- below: once a resource, a chunk's 250 outcome measures made 250 calls (issue 18, twelfth pass).
        return query
        with owner_of as materialized (
            select p.resource_key, o.owner, p.resource_id as patient_id
            from resource p
            join search_reference f on f.resource_type = 'Task' and f.param = 'patient' and f.target_type = 'Patient' and f.target_id = p.resource_id
            cross join lateral task_owner(f.resource_key) o
            where p.resource_key = any(keys) and p.resource_type = 'Patient')
        select w.resource_key, w.owner, false, c.valid_from, c.valid_until, 'consent'
        from owner_of w
        join consent_windows_for(array(select distinct patient_id from owner_of)) c on c.patient_id = w.patient_id and c.partner_id = w.owner;
    end if;

    if 'Provenance' = any(types) then
        -- The trail of what the gateway did to a referral: for its requester, and a Task's for its owner.
        return query
        select t.resource_key, q.target_id, false, '-infinity'::timestamptz, 'infinity'::timestamptz, 'trail'
        from search_reference t
        join resource x on x.resource_type = t.target_type and x.resource_id = t.target_id
        join search_reference q on q.resource_key = x.resource_key and q.target_type = 'Organization'
         and (q.param = 'requester' or (x.resource_type = 'Task' and q.param = 'owner'))
        where t.resource_key = any(keys) and t.resource_type = 'Provenance' and t.param = 'target' and t.target_type in ('ServiceRequest', 'Task');
    end if;

    if 'ServiceRequest' = any(types) then
        -- A Task's owner reads the referral while the patient's Consent names it.
        return query
        with owner_of as materialized (
            select sr.resource_key, o.owner, p.target_id as patient_id
            from resource sr
            join search_reference f on f.resource_type = 'Task' and f.param = 'focus' and f.target_type = 'ServiceRequest' and f.target_id = sr.resource_id
            cross join lateral task_owner(f.resource_key) o
            join search_reference p on p.resource_key = sr.resource_key and p.param = 'subject' and p.target_type = 'Patient'
            where sr.resource_key = any(keys) and sr.resource_type = 'ServiceRequest')
        select w.resource_key, w.owner, false, c.valid_from, c.valid_until, 'consent'
        from owner_of w
        join consent_windows_for(array(select distinct patient_id from owner_of)) c on c.patient_id = w.patient_id and c.partner_id = w.owner;
    end if;

    if 'QuestionnaireResponse' = any(types) then
        -- ... and the referral's outcome measures. The measure's rows are found by key alone: the
        -- concatenations keep its type and param out of search_reference_lookup, which the
        -- generic plan otherwise chose to read every measure's based-on row (measures are few in
        -- the planner's statistics until they are many).
        return query
        with owner_of as materialized (
            select b.resource_key, o.owner, p.target_id as patient_id
            from search_reference b
            join search_reference f on f.resource_type = 'Task' and f.param = 'focus' and f.target_type = 'ServiceRequest' and f.target_id = b.target_id
            cross join lateral task_owner(f.resource_key) o
            join search_reference p on p.resource_key = b.resource_key and p.param = 'subject' and p.target_type = 'Patient'
            where b.resource_key = any(keys) and b.resource_type || '' = 'QuestionnaireResponse' and b.param || '' = 'based-on'
              and b.target_type = 'ServiceRequest')
        select w.resource_key, w.owner, false, c.valid_from, c.valid_until, 'consent'
        from owner_of w
        join consent_windows_for(array(select distinct patient_id from owner_of)) c on c.patient_id = w.patient_id and c.partner_id = w.owner;
    end if;

    if 'MeasureReport' = any(types) then
        -- A commissioner reads the MeasureReports made for its area (SPEC §10): the report names it
        -- in its commissioner extension (Gateway.Fhir/Measures/MeasureReportBuilder.cs).
        return query
        select r.resource_key, substr(e->'valueReference'->>'reference', 14), false, '-infinity'::timestamptz, 'infinity'::timestamptz, 'commissioner'
        from resource r
        join resource_version v on v.resource_key = r.resource_key and v.version = r.version
        cross join lateral json_array_elements(case when json_typeof(v.body->'extension') = 'array' then v.body->'extension' else '[]'::json end) e
        where r.resource_key = any(keys) and r.resource_type = 'MeasureReport' and v.body is not null
          and e->>'url' = 'https://interop-gateway.example/fhir/StructureDefinition/measurereport-commissioner'
          and e->'valueReference'->>'reference' like 'Organization/%';
    end if;
end
$$;

-- Derives again the audience of the resources a write changed, and of those whose audience
-- depends on them: the referral and patient a Task, ServiceRequest or Consent points at (also
-- through references its previous version held, in previous_refs as 'Type/id'), the Tasks,
-- outcome measures and trail of those referrals, and, after a Consent changed, the referrals and
-- measures of its patient. Audience.cs calls it only when a write can change an audience.
create or replace function refresh_audience(changed bigint[], previous_refs text[])
returns void language plpgsql set plan_cache_mode = force_generic_plan as $$
declare
    affected bigint[];
begin
    with seed as (
        select r.resource_key, r.resource_type, r.resource_id from resource r where r.resource_key = any(changed)
        union
        select r.resource_key, r.resource_type, r.resource_id
        from unnest(previous_refs) p(ref)
        join resource r on r.resource_type = split_part(p.ref, '/', 1) and r.resource_id = substr(p.ref, strpos(p.ref, '/') + 1)
    ),
    up as (
        select t.resource_key, t.resource_type, t.resource_id, s.resource_type as from_type
        from seed s
        join search_reference x on x.resource_key = s.resource_key and x.target_type in ('ServiceRequest', 'Patient')
        join resource t on t.resource_type = x.target_type and t.resource_id = x.target_id
        where s.resource_type in ('Task', 'ServiceRequest', 'Consent')
        union
        -- The patient a changed Consent named before: a deleted Consent has no index rows left to
        -- find it by, and without this its patient's referrals and measures kept the rows it gave.
        select r.resource_key, r.resource_type, r.resource_id, 'Consent'
        from unnest(previous_refs) p(ref)
        join resource r on r.resource_type = split_part(p.ref, '/', 1) and r.resource_id = substr(p.ref, strpos(p.ref, '/') + 1)
        where exists (select from resource c where c.resource_key = any(changed) and c.resource_type = 'Consent')
    ),
    base as (
        select resource_key, resource_type, resource_id from seed
        union
        select resource_key, resource_type, resource_id from up
    ),
    dependent as (
        select b.resource_key from base b
        union
        select y.resource_key
        from base b
        join search_reference y on y.target_type = b.resource_type and y.target_id = b.resource_id
        where (b.resource_type = 'ServiceRequest' and y.resource_type in ('Task', 'QuestionnaireResponse') and y.param in ('based-on', 'focus'))
           or (b.resource_type in ('ServiceRequest', 'Task') and y.resource_type = 'Provenance' and y.param = 'target')
        union
        select y.resource_key
        from up u
        join search_reference y on y.target_type = 'Patient' and y.target_id = u.resource_id
        where u.from_type = 'Consent' and u.resource_type = 'Patient'
          and y.resource_type in ('ServiceRequest', 'QuestionnaireResponse') and y.param = 'subject'
    )
    select array_agg(resource_key order by resource_key) into affected from dependent;

    -- One refresh of a resource at a time, in key order: a concurrent write of the same referral
    -- waits here, then derives from what the first committed, so neither leaves a stale row.
    perform pg_advisory_xact_lock(hashtextextended('audience', k)) from unnest(affected) k;

    delete from resource_audience a where a.resource_key = any(affected);
    insert into resource_audience (resource_key, partner_id, may_write, valid_from, valid_until, reason)
    select * from audience_rows(affected);
end
$$;

-- consent_windows for many patients at once, each row with the patient it is about: the one
-- place the rule is written (consent_windows asks it for one). The referral feed asks it once for
-- a page's hundred patients; a call per patient was 45 µs each, half the page's rule time.
-- Generic plans also when a read's connection forces custom ones: planning this join each time
-- cost 2.7 ms a call. It must exist before the derivation below runs.
create or replace function consent_windows_for(patients text[])
returns table (patient_id text, partner_id text, valid_from timestamptz, valid_until timestamptz, consent_key bigint)
language plpgsql stable set plan_cache_mode = force_generic_plan as $$
#variable_conflict use_column
begin
    return query
    select cp.target_id, ca.target_id, coalesce(cd.start_at, '-infinity'), coalesce(cd.end_at, 'infinity'), cp.resource_key
    from search_reference cp
    join search_reference ca on ca.resource_key = cp.resource_key and ca.param = 'actor' and ca.target_type = 'Organization'
    join search_token cs on cs.resource_key = cp.resource_key and cs.param = 'status' and cs.code = 'active'
    left join search_date cd on cd.resource_key = cp.resource_key and cd.param = 'period'
    where cp.resource_type = 'Consent' and cp.param = 'patient' and cp.target_type = 'Patient' and cp.target_id = any(patients);
end
$$;

-- The whole store, a slice at a time: on the first start with these rules, or after they change.
-- Not through refresh_audience: its lock per resource filled the lock table on a large store
-- (half a million resources: "out of shared memory"), and every resource is derived here anyway.
-- The table lock holds off writers of other instances until the rules are applied; reads go on.
do $$
declare
    slice bigint[];
begin
    lock table resource_audience in exclusive mode;
    for slice in
        select array_agg(resource_key) from (select resource_key, (row_number() over (order by resource_key) - 1) / 2000 as part from resource) numbered group by part
    loop
        delete from resource_audience a where a.resource_key = any(slice);
        insert into resource_audience (resource_key, partner_id, may_write, valid_from, valid_until, reason)
        select * from audience_rows(slice);
    end loop;
end
$$;
