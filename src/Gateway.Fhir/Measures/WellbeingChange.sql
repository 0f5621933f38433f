-- Outcome change per person (issue 19): for each ONS4 item and positive-health dimension, the
-- person's first and last score among the measurements of their referrals in the period (at
-- least two measurements), stratified by their first referral's strata. The scores are kept on
-- write (Kept/MeasureFacts.sql, wellbeing_score). n, mean and standard
-- deviation of the change; the confidence interval is worked out from them (StudentT.cs).
with person as (
    select distinct on (patient_id) patient_id, month, practice, provider, area, age_band, sex
    from measure_facts where patient_id is not null
    order by patient_id, authored, task_key
),
score as (
    select f.patient_id, s.item, s.value, s.authored, s.response_key
    from (select distinct patient_id, request_id from measure_facts where patient_id is not null) f
    join wellbeing_score s on s.request_id = f.request_id
),
paired as (
    select patient_id, item,
           (array_agg(value order by authored desc, response_key desc))[1] - (array_agg(value order by authored, response_key))[1] as change
    from score
    group by patient_id, item
    having count(*) >= 2
)
select c.item,
       case when grouping(p.month) = 0 then 'month' when grouping(p.practice) = 0 then 'practice' when grouping(p.provider) = 0 then 'provider'
            when grouping(p.area) = 0 then 'area' when grouping(p.age_band) = 0 then 'age-band' when grouping(p.sex) = 0 then 'sex' end as stratifier,
       coalesce(p.month, p.practice, p.provider, p.area, p.age_band, p.sex) as stratum,
       count(*) as n,
       avg(c.change)::double precision as mean,
       stddev_samp(c.change)::double precision as sd
from paired c
join person p on p.patient_id = c.patient_id
group by c.item, grouping sets ((), (p.month), (p.practice), (p.provider), (p.area), (p.age_band), (p.sex));
