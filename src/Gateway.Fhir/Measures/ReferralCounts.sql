-- The referral counts of every group but the outcome changes, for the whole period and each
-- stratum of each stratifier (grouping sets: one pass over the facts).
select case when grouping(month) = 0 then 'month' when grouping(practice) = 0 then 'practice' when grouping(provider) = 0 then 'provider'
            when grouping(area) = 0 then 'area' when grouping(age_band) = 0 then 'age-band' when grouping(sex) = 0 then 'sex' end as stratifier,
       coalesce(month, practice, provider, area, age_band, sex) as stratum,
       count(*) as received,
       count(*) filter (where accepted) as accepted,
       count(*) filter (where contacted and contact_days <= 14) as contact_within_14_days,
       count(*) filter (where contacted) as contacted,
       percentile_cont(0.5) within group (order by contact_days) filter (where contacted) as median_contact_days,
       count(*) filter (where completed) as completed,
       count(*) filter (where breached) as breached
from measure_facts
group by grouping sets ((), (month), (practice), (provider), (area), (age_band), (sex));
