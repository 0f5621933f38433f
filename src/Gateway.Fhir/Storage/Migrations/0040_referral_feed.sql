-- The referral feed's page (GET /records/referrals, issue 18): the Tasks a partner owns, oldest
-- change first, after a (last_updated, resource_key) position. A loop over resource_type_updated
-- in its own order, so a page reads its rows and the other partners' Tasks between them and
-- stops. As one query the planner started from the owner instead (it estimates one
-- organisation's Tasks at a few dozen whatever their number: the search_reference columns are
-- correlated), read every Task the partner ever had and sorted them: 190 ms for 1,300 Tasks.
-- A partner with fewer than `few` Tasks is still served that way, cheaply: walking the whole
-- store for its few would cost more.
create or replace function owned_task_page(partner text, after_updated timestamptz, after_key bigint, page integer, few integer default 2000)
returns table (resource_key bigint, last_updated timestamptz) language plpgsql stable rows 100 as $$
#variable_conflict use_column
declare
    owned integer;
    taken integer := 0;
    task record;
begin
    if page <= 0 then
        return;
    end if;

    select count(*) into owned from (
        select 1 from search_reference o
        where o.resource_type = 'Task' and o.param = 'owner' and o.target_type = 'Organization' and o.target_id = partner
        limit few) counted;
    if owned < few then
        return query
        select r.resource_key, r.last_updated
        from search_reference o join resource r on r.resource_key = o.resource_key
        where o.resource_type = 'Task' and o.param = 'owner' and o.target_type = 'Organization' and o.target_id = partner
          and not r.is_deleted and (r.last_updated, r.resource_key) > (after_updated, after_key)
        order by r.last_updated, r.resource_key
        limit page;
        return;
    end if;

    for task in
        select r.resource_key, r.last_updated from resource r
        where r.resource_type = 'Task' and not r.is_deleted and (r.last_updated, r.resource_key) > (after_updated, after_key)
        order by r.last_updated, r.resource_key
    loop
        perform 1 from search_reference o
        where o.resource_key = task.resource_key and o.param = 'owner' and o.target_type = 'Organization' and o.target_id = partner;
        if found then
            resource_key := task.resource_key;
            last_updated := task.last_updated;
            return next;
            taken := taken + 1;
            exit when taken >= page;
        end if;
    end loop;
end
$$;
