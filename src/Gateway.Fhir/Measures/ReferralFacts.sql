-- One row per referral Task authored in the period (issue 19): who referred, who performs, the
-- patient's area, age band and sex, and what became of it. Set-based over the facts kept on write
-- (Kept/MeasureFacts.sql: one narrow row per Task, ServiceRequest and Patient, from their current
-- versions and the Task's history), joined through the resources' current rows, which leave
-- deleted ones out.
-- The placeholders in braces are filled by MeasureEvaluator: the period (half-open) and who may
-- count what (Access/MeasureScope.cs, over the Task row r and the fact row f).
create temp table measure_facts on commit drop as
with fact as (
    select t.task_key, d.start_at as authored, t.request_id, p.resource_id as patient_id, t.status, t.reason,
           s.programme, s.practice, t.provider,
           coalesce(pf.district, '') as district, coalesce(pf.municipality, '') as municipality, pf.birth_date, coalesce(pf.sex, 'unknown') as sex,
           t.accepted, t.first_contact, t.breached
    from search_date d
    join referral_task_fact t on t.task_key = d.resource_key
    join resource sr on sr.resource_type = 'ServiceRequest' and sr.resource_id = t.request_id and not sr.is_deleted
    join referral_request_fact s on s.request_key = sr.resource_key
    left join resource p on p.resource_type = 'Patient' and p.resource_id = s.patient_id and not p.is_deleted
    left join referral_patient_fact pf on pf.patient_key = p.resource_key
    where d.resource_type = 'Task' and d.param = 'authored-on' and d.start_at >= {from} and d.start_at < {to}
      and t.status <> 'entered-in-error'
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
join resource r on r.resource_key = f.task_key and not r.is_deleted
where {scope};
