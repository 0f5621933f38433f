-- SPEC §3: a transaction or batch Bundle with an identifier is idempotent per client. The first
-- answer is kept, keyed by client and Bundle.identifier, with the hash of the Bundle's canonical
-- body: a copy with the same hash gets that answer again, one with another hash is a 409.
-- The retention job deletes rows older than Gateway:Jobs:RetainBundleResponses (default P30D).
create table bundle_response (
    client_id         text        not null,
    identifier_system text        not null,
    identifier_value  text        not null,
    content_hash      text        not null,
    response          text        not null,
    received_at       timestamptz not null,
    primary key (client_id, identifier_system, identifier_value)
);

create index bundle_response_by_age on bundle_response (received_at);
