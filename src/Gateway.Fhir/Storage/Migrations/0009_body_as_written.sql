-- A version's body is kept as the gateway wrote it (json: the text as given) rather than as jsonb,
-- which reorders keys by length and respaces its text. Reads and search pages then send the stored
-- text as it is, in FHIR's element order, without parsing it into a POCO and serializing it again
-- (docs/performance.md, fifth pass). json still answers -> and ->>; containment (@>) casts to jsonb.
-- Bodies written before this migration keep jsonb's order; the gateway rewrites those on the way out.
alter table resource_version alter column body type json using body::json;
