-- The referral feed's rows (task_feed, 0050) carry their Task's ServiceRequest and patient ids
-- (issue 18, tenth pass), so a page finds them without parsing each Task's body: the statement's
-- parse of a hundred Task bodies (json, text: every read parses the whole body) was about a fifth
-- of its PostgreSQL time. Read from the body as the feed read them: only "Type/id" references.
-- PL/pgSQL, not SQL: a SQL function called from a trigger is planned afresh at every call, which
-- cost about 0.1 ms a Task written; PL/pgSQL keeps its plan per connection.
create function task_references(body json, out request_id text, out patient_id text)
language plpgsql immutable parallel safe as $$
begin
    select substring(b.focus->>'reference' from '^ServiceRequest/([^/]*)$'),
           substring(b."for"->>'reference' from '^Patient/([^/]*)$')
    into request_id, patient_id
    from json_to_record(body) as b(focus json, "for" json);
end
$$;

alter table task_feed add column request_id text, add column patient_id text;

-- A Task in a feed gets its owner's row from 0050's trigger: from its newest version's body. The
-- version may be written after the index rows or before; either way the later of the two sets them.
create or replace function task_feed_owner_added() returns trigger language plpgsql as $$
begin
    insert into task_feed (resource_key, partner_id, last_updated, request_id, patient_id)
    select r.resource_key, new.target_id, r.last_updated, x.request_id, x.patient_id
    from resource r
    left join lateral (
        select v.body from resource_version v where v.resource_key = r.resource_key order by v.version desc limit 1
    ) v on true
    left join lateral task_references(v.body) x on true
    where r.resource_key = new.resource_key
    on conflict (resource_key, partner_id) do update
        set last_updated = excluded.last_updated, request_id = excluded.request_id, patient_id = excluded.patient_id;
    return null;
end
$$;

-- A new version of a Task already in a feed (an update, a delete's empty body), or a body rewritten
-- in place (the demo's history dates, retention): only the newest version counts. A new Task has no
-- feed row yet (its owner's row comes after its version), so it costs a probe and no parse; so does
-- an update once the ids are known (below); otherwise the body is parsed once, and written only when
-- its references changed.
create function task_feed_version_written() returns trigger language plpgsql as $$
declare
    kept record;
    found_now record;
begin
    select f.request_id, f.patient_id into kept from task_feed f where f.resource_key = new.resource_key limit 1;
    if not found then
        return null;
    end if;

    -- A Task's focus and for never change once it is made (TaskRules.CheckWrite refuses it to every
    -- partner; the gateway's own writes keep them), so a new version of a Task whose ids are known
    -- needs no parse: a wor-export row writes its Task again, and the parse was about a tenth of
    -- PostgreSQL's CPU a row. A deletion (no body) and a body rewritten in place are read.
    if tg_op = 'INSERT' and new.body is not null and kept.request_id is not null and kept.patient_id is not null then
        return null;
    end if;

    select x.request_id, x.patient_id into found_now from task_references(new.body) x;
    if (kept.request_id, kept.patient_id) is distinct from (found_now.request_id, found_now.patient_id)
       and not exists (select 1 from resource_version v where v.resource_key = new.resource_key and v.version > new.version) then
        update task_feed f set request_id = found_now.request_id, patient_id = found_now.patient_id where f.resource_key = new.resource_key;
    end if;

    return null;
end
$$;

create trigger task_feed_version_written after insert or update of body on resource_version for each row
    when (new.resource_type = 'Task')
    execute function task_feed_version_written();

update task_feed f set request_id = x.request_id, patient_id = x.patient_id
from resource r
join resource_version v on v.resource_key = r.resource_key and v.version = r.version
cross join lateral task_references(v.body) x
where r.resource_key = f.resource_key;
