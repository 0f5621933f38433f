-- search_token_lookup with the resource key before the system (issue 18, seventeenth pass). A search
-- without _sort pages in key order from one clause's matches (SearchEngine.BuildKeyOrderPageQuery):
-- it walks them in key order and stops when the page is full. With the system before the key, the
-- rows of one token code came out of the index in (system, key) order, so PostgreSQL read, sorted
-- and de-duplicated every match before the first page: ServiceRequest?status=active&_count=50 read
-- 22,500 index rows on a 30,000-referral store (14.7 ms) and cost 18.6 ms of PostgreSQL a search on
-- the 100,000-referral one. Now the rows of one code come in key order and a page reads about a page
-- of them (1.0 ms). A code with its system still reads one range: the system is checked in the index.
create index search_token_lookup_in_key_order on search_token (resource_type, param, code, resource_key, system);
drop index search_token_lookup;
alter index search_token_lookup_in_key_order rename to search_token_lookup;
