-- resource_version loses its foreign key to resource (issue 18, ninth pass), as the index tables
-- lost theirs in 0043: the key is a row trigger on every version inserted (a check of resource's
-- primary key), and a version row is only ever written by the statement batch that writes or
-- moves its resource's current row, in the same transaction. The key never cascaded: the one path
-- that deletes resource rows for good (ResourcePurge) already deleted the versions first, and
-- still does; RetentionTests checks that it leaves no version without its resource.
alter table resource_version drop constraint if exists resource_version_resource_key_fkey;
