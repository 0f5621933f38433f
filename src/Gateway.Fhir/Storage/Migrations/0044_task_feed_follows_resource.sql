-- The referral feed's rows (task_feed, migration 0050) move with their Task's current row
-- (issue 18, eighth pass). 0050's triggers on the owner's index row decide which partners' feeds
-- a Task is in; its place in them (last_updated) now follows resource.last_updated here, in one
-- place, so a writer that keeps unchanged index rows (IndexSql's replacement of only the rows
-- that differ, for chunks and single writes alike) or moves a Task's time in SQL (the demo's
-- history dates) cannot leave it behind.
-- A row trigger whose WHEN skips every other type without calling the function. Measured in
-- backend CPU against the chunk's own set-based update of the feed and a statement trigger over a
-- transition table: the same for a chunk of 500 Tasks; for one Task the statement trigger cost
-- more, and for every other type's update it costs its call and transition table, this nothing.
-- On a fresh store this runs before 0050 makes task_feed; PL/pgSQL resolves the table when the
-- trigger first fires, and no statement between them updates resource.
create or replace function task_feed_moved() returns trigger language plpgsql as $$
begin
    update task_feed f set last_updated = new.last_updated where f.resource_key = new.resource_key;
    return null;
end
$$;

drop trigger if exists task_feed_moved on resource;
create trigger task_feed_moved after update of last_updated on resource for each row
    when (new.resource_type = 'Task' and new.last_updated is distinct from old.last_updated)
    execute function task_feed_moved();
