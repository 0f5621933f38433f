-- Partners and their API clients as last applied from the partners file (SPEC §9).
create table partner (
    partner_id text        primary key,
    kind       text        not null,
    name       text        not null,
    config     jsonb       not null,
    applied_at timestamptz not null
);

create table api_client (
    client_id  text primary key,
    partner_id text not null references partner (partner_id) on delete cascade,
    scopes     text not null,
    jwks       jsonb,
    jwks_url   text
);

-- The gateway's own token signing keys. The private key is kept here so every instance signs
-- with the same key; retired keys still validate until the tokens they signed have expired.
create table signing_key (
    kid         text        primary key,
    private_jwk jsonb       not null,
    created_at  timestamptz not null,
    retired_at  timestamptz
);

-- Client assertion ids seen within their lifetime: a second use of the same jti is a replay.
create table client_assertion (
    client_id  text        not null,
    jti        text        not null,
    expires_at timestamptz not null,
    primary key (client_id, jti)
);
create index client_assertion_expiry on client_assertion (expires_at);

-- The partner whose client created the resource: it always sees what it wrote (docs/adr/0005).
alter table resource add column created_by text;
