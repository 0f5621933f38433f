-- One row per referral Task authored in the period (issue 19): who referred, who performs, the
-- patient's area, age band and sex, and what became of it, from the current versions and the
-- Task's history. Set-based over the search index and stored bodies: a MeasureReport over
-- 100,000 referrals reads each Task, ServiceRequest and Patient once.
-- Each stored body is parsed once (json to jsonb): the body subqueries end in "offset 0", which
-- keeps the planner from pulling them up, as it would otherwise parse the body again at every
-- use of it (a dozen a referral; docs/performance.md, "Outcome measures").
-- The placeholders in braces are filled by MeasureEvaluator: the period (half-open) and who may
-- count what (Access/MeasureScope.cs, over the Task row r and the fact row f).
create temp table measure_facts on commit drop as
with task as (
    select r.resource_key, r.resource_id, d.start_at as authored, v.body
    from search_date d
    join resource r on r.resource_key = d.resource_key and not r.is_deleted
    join lateral (select body::jsonb as body from resource_version where resource_key = r.resource_key and version = r.version offset 0) v on true
    where d.resource_type = 'Task' and d.param = 'authored-on' and d.start_at >= {from} and d.start_at < {to}
      and v.body->>'status' <> 'entered-in-error'
      and v.body->'focus'->>'reference' like 'ServiceRequest/%'
),
fact as (
    select t.resource_key as task_key, t.authored,
           sr.resource_id as request_id,
           p.resource_id as patient_id,
           t.body->>'status' as status,
           coalesce(t.body #>> '{statusReason,coding,0,code}', t.body #>> '{businessStatus,coding,0,code}', 'unspecified') as reason,
           -- The programme: the referral-service code, or SNOMED CT 871731000000106 (referral to social prescribing service), as UK GP systems send it.
           coalesce((select case when c->>'system' = 'http://snomed.info/sct' then 'social-prescribing' else c->>'code' end
                     from jsonb_array_elements(case when jsonb_typeof(sv.body #> '{code,coding}') = 'array' then sv.body #> '{code,coding}' else '[]' end) c
                     where c->>'system' = 'https://interop-gateway.example/fhir/CodeSystem/referral-service'
                        or (c->>'system' = 'http://snomed.info/sct' and c->>'code' = '871731000000106')
                     order by c->>'system' = 'http://snomed.info/sct' limit 1), 'unknown') as programme,
           case when sv.body #>> '{requester,reference}' like 'Organization/%' then substr(sv.body #>> '{requester,reference}', 14) else 'unknown' end as practice,
           case when t.body #>> '{owner,reference}' like 'Organization/%' then substr(t.body #>> '{owner,reference}', 14) else 'unassigned' end as provider,
           -- The postcode district: a Dutch postcode's four digits, a UK postcode's outward code (PostcodeArea.cs).
           case when pc.code ~ '^[0-9]{4}' then left(pc.code, 4)
                when pc.raw like '% %' then upper(split_part(pc.raw, ' ', 1))
                when length(pc.code) > 3 then left(pc.code, length(pc.code) - 3)
                else pc.code end as district,
           upper(coalesce(pv.body #>> '{address,0,district}', '')) as municipality,
           pv.body->>'birthDate' as birth_date,
           coalesce(pv.body->>'gender', 'unknown') as sex,
           coalesce(h.accepted, false) as accepted,
           h.first_contact,
           coalesce(h.breached, false) as breached
    from task t
    join resource sr on sr.resource_type = 'ServiceRequest' and sr.resource_id = substr(t.body #>> '{focus,reference}', 16) and not sr.is_deleted
    join lateral (select body::jsonb as body from resource_version where resource_key = sr.resource_key and version = sr.version offset 0) sv on true
    left join resource p on p.resource_type = 'Patient' and p.resource_id = substr(sv.body #>> '{subject,reference}', 9)
         and sv.body #>> '{subject,reference}' like 'Patient/%' and not p.is_deleted
    left join lateral (select body::jsonb as body from resource_version where resource_key = p.resource_key and version = p.version offset 0) pv on true
    -- The Task's history, read per Task through the version key (a lateral join): as a CTE joined
    -- on resource_key the planner, which expects one row of task, re-aggregated every Task's
    -- history for each Task (docs/performance.md, "Outcome measures").
    cross join lateral (
        select bool_or(h.body->>'status' in ('accepted', 'in-progress', 'completed', 'failed')) as accepted,
               -- When the gateway stored the version: a client's Task.lastModified is whatever it sent (often the copy it read).
               min(h.last_updated)
                   filter (where h.body->>'status' in ('in-progress', 'completed')
                              or jsonb_path_exists(h.body, '$.businessStatus.coding[*] ? (@.code == "intake-booked" || @.code == "intake-held" || @.code == "plan-agreed" || @.code == "activity-started" || @.code == "follow-up-due" || @.code == "got-help")')) as first_contact,
               bool_or(jsonb_path_exists(h.body, '$.businessStatus.coding[*] ? (@.code == "acceptance-overdue")')
                    or jsonb_path_exists(h.body, '$.meta.tag[*] ? (@.code == "update-overdue")')) as breached
        from (select last_updated, body::jsonb as body from resource_version where resource_key = t.resource_key and body is not null offset 0) h
    ) h
    cross join lateral (select trim(coalesce(pv.body #>> '{address,0,postalCode}', '')) as raw,
                               upper(replace(coalesce(pv.body #>> '{address,0,postalCode}', ''), ' ', '')) as code) pc
)
select f.task_key, f.authored, f.request_id, f.patient_id, f.status, f.reason, f.programme, f.practice, f.provider,
       to_char(f.authored at time zone 'UTC', 'YYYY-MM') as month,
       coalesce(nullif(f.municipality, ''), nullif(f.district, ''), 'unknown') as area,
       case when a.age is null then 'unknown' when a.age < 18 then '0-17' when a.age < 25 then '18-24' when a.age < 35 then '25-34'
            when a.age < 45 then '35-44' when a.age < 55 then '45-54' when a.age < 65 then '55-64' when a.age < 75 then '65-74' else '75+' end as age_band,
       f.sex,
       f.accepted,
       f.status = 'completed' as completed,
       case f.status when 'rejected' then 'declined' when 'cancelled' then 'cancelled' when 'failed' then 'failed' end as closure,
       f.first_contact is not null and f.first_contact >= f.authored as contacted,
       case when f.first_contact >= f.authored then extract(epoch from f.first_contact - f.authored) / 86400.0 end as contact_days,
       f.breached
from fact f
cross join lateral (select case
        when f.birth_date ~ '^\d{4}-\d\d-\d\d$' then extract(year from age((f.authored at time zone 'UTC')::date, f.birth_date::date))::int
        when f.birth_date ~ '^\d{4}' then extract(year from f.authored at time zone 'UTC')::int - left(f.birth_date, 4)::int
    end as age) a
join resource r on r.resource_key = f.task_key
where {scope};
