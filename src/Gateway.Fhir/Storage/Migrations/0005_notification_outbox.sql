-- What the gateway owes someone outside it (SPEC §7): a Subscription's notification, its
-- handshake, or a partner's referral/v1 webhook. A row is inserted in the same transaction as the
-- change that causes it, so no change is stored without its notification and no notification is
-- sent for a change that did not commit. The delivery job drains the rows, oldest first per target.
create table notification_outbox (
    id               bigserial   primary key,
    kind             text        not null check (kind in ('handshake', 'subscription', 'referral-webhook')),
    target           text        not null,
    resource_type    text        not null,
    resource_id      text        not null,
    resource_version integer     not null,
    payload          jsonb,
    metadata         jsonb       not null default '{}',
    created_at       timestamptz not null,
    state            text        not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null,
    last_error       text,
    delivered_at     timestamptz
);

create index notification_outbox_pending on notification_outbox (target, id) where state = 'pending';
