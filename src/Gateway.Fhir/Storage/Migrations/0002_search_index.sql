-- Search index rows, one table per parameter type (fhir-server's layout), extracted at write
-- time from the R4 SearchParameter FHIRPath expressions and replaced in the same transaction as
-- the resource they describe. resource_type is repeated here so one index answers
-- "Task with status = requested" without touching the resource table first.
create table search_token (
    resource_key  bigint not null references resource (resource_key) on delete cascade,
    resource_type text   not null,
    param         text   not null,
    system        text,
    code          text,
    display       text
);
create index search_token_lookup on search_token (resource_type, param, code, system, resource_key);
create index search_token_resource on search_token (resource_key);

create table search_string (
    resource_key  bigint not null references resource (resource_key) on delete cascade,
    resource_type text   not null,
    param         text   not null,
    normalized    text   not null,
    exact         text   not null
);
-- text_pattern_ops serves the prefix match (normalized like 'oka%') whatever the collation.
create index search_string_lookup on search_string (resource_type, param, normalized text_pattern_ops, resource_key);
create index search_string_resource on search_string (resource_key);

-- Dates as half-open ranges [start_at, end_at): a partial date covers its whole precision.
create table search_date (
    resource_key  bigint      not null references resource (resource_key) on delete cascade,
    resource_type text        not null,
    param         text        not null,
    start_at      timestamptz not null,
    end_at        timestamptz not null
);
create index search_date_lookup on search_date (resource_type, param, start_at, end_at, resource_key);
create index search_date_resource on search_date (resource_key);

create table search_reference (
    resource_key  bigint not null references resource (resource_key) on delete cascade,
    resource_type text   not null,
    param         text   not null,
    target_type   text,
    target_id     text,
    url           text
);
create index search_reference_lookup on search_reference (resource_type, param, target_id, target_type, resource_key);
create index search_reference_target on search_reference (target_type, target_id);
create index search_reference_resource on search_reference (resource_key);
