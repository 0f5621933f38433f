-- One row per referral Task authored in the period (issue 19): who referred, who performs, the
-- patient's area, age band and sex, and what became of it. Set-based over the facts kept on write
-- (Kept/MeasureFacts.sql: one narrow row per live Task, ServiceRequest and Patient, from their
-- current versions and the Task's history), joined on the ids the references name.
-- The placeholders in braces are filled by MeasureEvaluator: the period (half-open) and who may
-- count what (Access/MeasureScope.cs, over the Task row r and the fact row f).
create temp table measure_facts on commit drop as
with fact as (
    select t.task_key, t.authored, t.request_id, pf.patient_id, t.status, t.reason, s.programme, s.practice, t.provider,
           coalesce(pf.district, '') as district, coalesce(pf.municipality, '') as municipality, pf.birth_year, pf.birth_month_day,
           coalesce(pf.sex, 'unknown') as sex, t.accepted, t.first_contact, t.breached
    from referral_task_fact t
    join referral_request_fact s on s.request_id = t.request_id
    left join referral_patient_fact pf on pf.patient_id = s.patient_id
    where t.authored >= {from} and t.authored < {to} and t.status <> 'entered-in-error'
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
-- The age at the referral, in whole years: from the birth date, or the birth year alone.
cross join lateral (select extract(year from f.authored at time zone 'UTC')::int - f.birth_year
        - case when f.birth_month_day > to_char(f.authored at time zone 'UTC', 'MM-DD') then 1 else 0 end as age) a
-- The Task row the scope's condition names (PartnerVisibility reads its key and type): the kept
-- rows are of live Tasks only, so the resource table need not be read.
cross join lateral (select f.task_key as resource_key, 'Task'::text as resource_type) r
where {scope};
