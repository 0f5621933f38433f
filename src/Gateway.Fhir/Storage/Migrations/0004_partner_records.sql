-- Every record a partner sends (record API, batch upload, pull, drop folder), stored raw before it
-- is processed, so nothing accepted is lost (SPEC §6). One row per (partner, format, record key):
-- the key is the JSON record's messageId, or a CSV row's content hash with its referral id, so a
-- replay finds the row it already has and changes nothing.
create table partner_record (
    record_id         text        primary key,
    partner_id        text        not null,
    format            text        not null,
    record_key        text        not null,
    received_at       timestamptz not null,
    source            text        not null,
    batch_id          text,
    row_number        integer,
    body              text        not null,
    state             text        not null check (state in ('received', 'applied', 'rejected')),
    issues            jsonb       not null default '[]',
    produced          jsonb       not null default '[]',
    task_id           text,
    status_changed_at timestamptz,
    processed_at      timestamptz,
    attempts          integer     not null default 0,
    unique (partner_id, format, record_key)
);

create index partner_record_by_state on partner_record (partner_id, state, received_at);

-- The newest status time applied to a Task: an older record arriving late never moves it back.
create index partner_record_by_task on partner_record (task_id, status_changed_at) where state = 'applied';
