-- The referral feed's rows (task_feed, migration 0050) move with their Task's current row
-- (issue 18, eighth pass). 0050's triggers on the owner's index row decide which partners' feeds
-- a Task is in; its place in them (last_updated) now follows resource.last_updated here, in one
-- place, so a writer that keeps unchanged index rows (IndexSql's replacement of only the rows
-- that differ) or moves a Task's time in SQL (the demo's history dates) cannot leave it behind.
-- One trigger a statement over its changed rows (a transition table), not one a row: a chunk's
-- update of 500 Tasks runs one set-based update of the feed, as the chunk did itself before.
-- On a fresh store this runs before 0050 makes task_feed; PL/pgSQL resolves the table when the
-- trigger first fires, and no statement between them updates resource.
create or replace function task_feed_moved() returns trigger language plpgsql as $$
begin
    -- The keys as an array: the feed's primary key is then searched for each, whatever the
    -- planner guesses of the transition table's size (it has no statistics; a hash join would
    -- read the whole feed for a single write).
    update task_feed f set last_updated = m.last_updated
    from moved m
    where f.resource_key = any (array(select t.resource_key from moved t where t.resource_type = 'Task'))
      and m.resource_key = f.resource_key and f.last_updated is distinct from m.last_updated;
    return null;
end
$$;

drop trigger if exists task_feed_moved on resource;
create trigger task_feed_moved after update on resource referencing new table as moved
    for each statement execute function task_feed_moved();
