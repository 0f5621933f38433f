-- Heartbeats of topic-based Subscriptions (R4 Subscriptions Backport IG, backport-heartbeat-period;
-- docs/adr/0008): a heartbeat is an outbox row like a notification, so it is ordered, retried and
-- fails a Subscription the same way. When something was last sent to a Subscription is kept per
-- Subscription, so finding the ones due reads one small row each, not the outbox's history.
alter table notification_outbox drop constraint notification_outbox_kind_check;
alter table notification_outbox add constraint notification_outbox_kind_check
    check (kind in ('handshake', 'subscription', 'referral-webhook', 'partner-fhir', 'heartbeat'));

create table subscription_last_sent (
    subscription_id text        primary key,
    sent_at         timestamptz not null
);
