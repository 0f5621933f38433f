-- Matching never reveals (SPEC §8): a partner whose new Patient has the NHS number or BSN of one
-- it may not see gets its own record, and so does one whose birth date differs. The link between
-- the two is the operators' to see and resolve, never the partners': it is kept here and as an
-- AuditEvent, not in the Patient (whose link or tag would tell the partner the other id).
create table patient_identity_link (
    patient_id       text        not null,
    other_patient_id text        not null,
    -- identity-conflict: same identifier, different birth date; same-person: same identifier and birth date.
    reason           text        not null check (reason in ('identity-conflict', 'same-person')),
    created_at       timestamptz not null,
    primary key (patient_id, other_patient_id)
);

create index patient_identity_link_other on patient_identity_link (other_patient_id);
