-- Where each partner's scheduled pull got to (SPEC §6): the cursor the partner's export gave with
-- its last page, sent back as ?since= on the next pull. Written only after every record of that
-- page is in partner_record, so a pull that fails part-way fetches the page again.
create table partner_sync_cursor (
    partner_id text        primary key,
    cursor     text        not null,
    updated_at timestamptz not null
);
