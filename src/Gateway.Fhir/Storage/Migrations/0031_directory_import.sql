-- The last import of each partner's directory source (SPEC §11), with its per-entry report, for
-- the operator console: one row per partner and source format, replaced by the next import.
create table directory_import (
    partner_id  text        not null,
    format      text        not null,
    source      text        not null,
    finished_at timestamptz not null,
    counts      jsonb       not null,
    report      jsonb       not null,
    primary key (partner_id, format)
);
