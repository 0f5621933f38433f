-- Bulk Data $export for evaluators (SPEC §10, docs/guide-evaluators.md). An export is a row here
-- from its kick-off until it expires; its NDJSON files are kept as chunks in the database, so any
-- gateway instance can serve a file a jobs instance wrote, and neither side holds a file whole.
create table export_job (
    export_id        uuid        primary key,
    -- Only the client that asked may poll, cancel and download (Bulk Data IG: requiresAccessToken).
    client_id        text        not null,
    partner_id       text        not null,
    request_url      text        not null,
    -- Group/{group_id}: the patients a referring partner sent (null: every patient, system level).
    group_id         text,
    types            text[]      not null,
    since            timestamptz,
    status           text        not null check (status in ('queued', 'running', 'completed', 'failed')),
    progress         text,
    error            text,
    requested_at     timestamptz not null,
    -- The instant the exported data reflects: the start of the job's read snapshot.
    transaction_time timestamptz,
    completed_at     timestamptz,
    expires_at       timestamptz
);
create index export_job_expires on export_job (expires_at);

create table export_file (
    export_id     uuid    not null references export_job (export_id) on delete cascade,
    file_number   integer not null,
    resource_type text    not null,
    resource_count integer not null,
    primary key (export_id, file_number)
);

-- A file's bytes in order, a chunk of a few hundred kilobytes at a time.
create table export_file_chunk (
    export_id   uuid    not null,
    file_number integer not null,
    chunk       integer not null,
    data        bytea   not null,
    primary key (export_id, file_number, chunk),
    foreign key (export_id, file_number) references export_file (export_id, file_number) on delete cascade
);

-- The secret each evaluator's pseudonyms are keyed with (HMAC-SHA256 of the resource id): made at
-- its first export and kept, so the same patient has the same pseudonym in every export of that
-- evaluator and a different one for every other evaluator. It never leaves the database.
create table export_pseudonym_key (
    partner_id text        primary key,
    secret     bytea       not null,
    created_at timestamptz not null
);

-- When a patient allows research use (profiles/StructureDefinition-data-sharing-consent.json): an
-- active Consent with a nested permit provision whose purpose is HRESCH (v3-ActReason, healthcare
-- research), within the Consent's provision.period. PartnerVisibility.ExportCondition asks it.
create or replace view research_use as
select cp.target_id as patient_id,
       coalesce(cd.start_at, '-infinity') as valid_from, coalesce(cd.end_at, 'infinity') as valid_until
from search_reference cp
join resource c on c.resource_key = cp.resource_key and not c.is_deleted
join resource_version v on v.resource_key = c.resource_key and v.version = c.version
join search_token cs on cs.resource_key = cp.resource_key and cs.param = 'status' and cs.code = 'active'
left join search_date cd on cd.resource_key = cp.resource_key and cd.param = 'period'
where cp.resource_type = 'Consent' and cp.param = 'patient' and cp.target_type = 'Patient'
  and exists (
      select 1
      from json_array_elements(case when json_typeof(v.body -> 'provision' -> 'provision') = 'array' then v.body -> 'provision' -> 'provision' else '[]'::json end) p,
           json_array_elements(case when json_typeof(p -> 'purpose') = 'array' then p -> 'purpose' else '[]'::json end) u
      where p ->> 'type' = 'permit'
        and u ->> 'system' = 'http://terminology.hl7.org/CodeSystem/v3-ActReason' and u ->> 'code' = 'HRESCH');
