-- The referral feed's own index (GET /records/referrals, issue 18): one row per Task and owner,
-- at the Task's last change, so a page is one range of (partner_id, last_updated, resource_key).
-- 0040's walk over every Task in feed order read the other partners' Tasks between a partner's
-- own: a partner whose Tasks were all newer than 50,000 others' paid 1.1 s a page.
-- Kept by triggers on the owner's search_reference row, which every write of a Task deletes and
-- writes again after moving resource.last_updated (ResourceWriter, IndexSql's bulk insert, a
-- delete, a cascade): so no write path, the benchmark's SQL clone included, can forget it.
create table task_feed (
    resource_key bigint      not null references resource (resource_key) on delete cascade,
    partner_id   text        not null,
    last_updated timestamptz not null,
    primary key (resource_key, partner_id)
);
create index task_feed_page on task_feed (partner_id, last_updated, resource_key);

create function task_feed_owner_added() returns trigger language plpgsql as $$
begin
    insert into task_feed (resource_key, partner_id, last_updated)
    select r.resource_key, new.target_id, r.last_updated from resource r where r.resource_key = new.resource_key
    on conflict (resource_key, partner_id) do update set last_updated = excluded.last_updated;
    return null;
end
$$;

create function task_feed_owner_removed() returns trigger language plpgsql as $$
begin
    delete from task_feed f where f.resource_key = old.resource_key and f.partner_id = old.target_id;
    return null;
end
$$;

-- WHEN is checked without calling the function: every other index row pays next to nothing.
create trigger task_feed_owner_added after insert on search_reference for each row
    when (new.resource_type = 'Task' and new.param = 'owner' and new.target_type = 'Organization')
    execute function task_feed_owner_added();
create trigger task_feed_owner_removed after delete on search_reference for each row
    when (old.resource_type = 'Task' and old.param = 'owner' and old.target_type = 'Organization')
    execute function task_feed_owner_removed();

insert into task_feed (resource_key, partner_id, last_updated)
select o.resource_key, o.target_id, r.last_updated
from search_reference o join resource r on r.resource_key = o.resource_key
where o.resource_type = 'Task' and o.param = 'owner' and o.target_type = 'Organization'
on conflict do nothing;

drop function if exists owned_task_page(text, timestamptz, bigint, integer, integer);
