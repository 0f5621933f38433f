-- Outcome change per person (issue 19): for each ONS4 item and positive-health dimension, the
-- person's first and last score among the measurements of their referrals in the period (at
-- least two measurements), stratified by their first referral's strata. n, mean and standard
-- deviation of the change; the confidence interval is worked out from them (StudentT.cs).
with person as (
    select distinct on (patient_id) patient_id, month, practice, provider, area, age_band, sex
    from measure_facts where patient_id is not null
    order by patient_id, authored, task_key
),
score as (
    select f.patient_id,
           case when v.body->>'questionnaire' like 'https://interop-gateway.example/fhir/Questionnaire/ons4%' then 'ons4-' else 'positive-health-' end || (i->>'linkId') as item,
           coalesce(i #>> '{answer,0,valueInteger}', i #>> '{answer,0,valueDecimal}')::numeric as value,
           v.body->>'authored' as authored, r.resource_key
    from (select distinct patient_id, request_id from measure_facts where patient_id is not null) f
    join search_reference b on b.resource_type = 'QuestionnaireResponse' and b.param = 'based-on' and b.target_type = 'ServiceRequest' and b.target_id = f.request_id
    join resource r on r.resource_key = b.resource_key and not r.is_deleted
    -- offset 0: the body is parsed once, not at every use of it (as in ReferralFacts.sql).
    join lateral (select body::jsonb as body from resource_version where resource_key = r.resource_key and version = r.version offset 0) v on true
    cross join lateral jsonb_array_elements(case when jsonb_typeof(v.body->'item') = 'array' then v.body->'item' else '[]' end) i
    where v.body->>'status' in ('completed', 'amended')
      and (v.body->>'questionnaire' like 'https://interop-gateway.example/fhir/Questionnaire/ons4%'
        or v.body->>'questionnaire' like 'https://interop-gateway.example/fhir/Questionnaire/positive-health%')
      and coalesce(i #>> '{answer,0,valueInteger}', i #>> '{answer,0,valueDecimal}') ~ '^-?[0-9]+(\.[0-9]+)?$'
),
paired as (
    select patient_id, item,
           (array_agg(value order by authored desc, resource_key desc))[1] - (array_agg(value order by authored, resource_key))[1] as change
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
