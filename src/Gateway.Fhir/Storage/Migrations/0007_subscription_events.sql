-- Event numbers of Subscription notifications (R4 Subscriptions Backport IG, SPEC §7): each
-- notification row takes the next number of its Subscription in the transaction of the change.
-- The counter's row lock makes concurrent changes take their numbers in commit order, so event
-- numbers and outbox ids agree and the delivery sends 1, 2, 3, ... in order.
create table subscription_events (
    subscription_id text   primary key,
    events          bigint not null
);

alter table notification_outbox add column event_number bigint;
