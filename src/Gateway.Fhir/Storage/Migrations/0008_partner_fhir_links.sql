-- Partners with their own FHIR server (SPEC §7, docs/adr/0009): the gateway, as the SDOH Clinical
-- Care guide's coordination platform, creates there a Patient, a filler-order ServiceRequest and a
-- Task partOf the gateway's Task. The ids it got back are kept per gateway Task, so a retry or a
-- second run never creates them twice, and the inbound sync knows which Tasks to read back.
alter table notification_outbox drop constraint notification_outbox_kind_check;
alter table notification_outbox add constraint notification_outbox_kind_check
    check (kind in ('handshake', 'subscription', 'referral-webhook', 'partner-fhir'));

create table partner_fhir_link (
    gateway_task_id    text        primary key,
    partner_id         text        not null,
    patient_id         text,
    service_request_id text,
    task_id            text,
    -- A digest of the partner Task's status, businessStatus, statusReason and output as last
    -- applied or refused: the sync acts only when it differs, so a refused move is not retried forever.
    seen_state         text,
    sync_error         text,
    synced_at          timestamptz,
    created_at         timestamptz not null
);

create index partner_fhir_link_partner on partner_fhir_link (partner_id) where task_id is not null;
