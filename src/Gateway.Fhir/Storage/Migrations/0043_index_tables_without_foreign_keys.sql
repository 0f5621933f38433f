-- The search index tables lose their foreign keys to resource (issue 18, eighth pass): each key
-- is a row trigger on every index row inserted (a check of resource's primary key), about 40 %
-- of an index row's insert in a psql test (docs/performance.md), and the index rows are only ever written by the
-- statements that write their resource's version, in the same transaction. Microsoft's FHIR
-- server keeps its search parameter tables without foreign keys too. What the cascade did, the
-- one path that deletes resource rows for good now does itself (ResourcePurge: index rows,
-- versions, then the rows); RetentionTests checks that it leaves no index row without its resource.
alter table search_token drop constraint if exists search_token_resource_key_fkey;
alter table search_string drop constraint if exists search_string_resource_key_fkey;
alter table search_date drop constraint if exists search_date_resource_key_fkey;
alter table search_reference drop constraint if exists search_reference_resource_key_fkey;
alter table search_position drop constraint if exists search_position_resource_key_fkey;
