-- Referrals declined, cancelled or failed, by closure and each stratifier, reason included.
select closure,
       case when grouping(month) = 0 then 'month' when grouping(practice) = 0 then 'practice' when grouping(provider) = 0 then 'provider'
            when grouping(area) = 0 then 'area' when grouping(age_band) = 0 then 'age-band' when grouping(sex) = 0 then 'sex'
            when grouping(reason) = 0 then 'reason' end as stratifier,
       coalesce(month, practice, provider, area, age_band, sex, reason) as stratum,
       count(*) as closed
from measure_facts
where closure is not null
group by closure, grouping sets ((), (month), (practice), (provider), (area), (age_band), (sex), (reason));
