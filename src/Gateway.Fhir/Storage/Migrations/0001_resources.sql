-- The current state of every resource: one row per (type, id). Bodies live in resource_version,
-- once per version, so history costs no copy. See docs/adr/0001-resources-stored-as-jsonb.md.
create table resource (
    resource_key  bigint generated always as identity primary key,
    resource_type text        not null,
    resource_id   text        not null,
    version       integer     not null check (version > 0),
    last_updated  timestamptz not null,
    is_deleted    boolean     not null,
    constraint resource_type_id_unique unique (resource_type, resource_id)
);

create index resource_type_updated on resource (resource_type, last_updated, resource_key);

-- Every version of every resource, deletions included (body null for a delete).
create table resource_version (
    resource_key  bigint      not null references resource (resource_key),
    version       integer     not null,
    resource_type text        not null,
    last_updated  timestamptz not null,
    method        text        not null check (method in ('POST', 'PUT', 'PATCH', 'DELETE')),
    body          jsonb,
    primary key (resource_key, version),
    check ((method = 'DELETE') = (body is null))
);

-- Type and system history read newest first.
create index resource_version_type_updated on resource_version (resource_type, last_updated desc, resource_key desc, version desc);
create index resource_version_updated on resource_version (last_updated desc, resource_key desc, version desc);
