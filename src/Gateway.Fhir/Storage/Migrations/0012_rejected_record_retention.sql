-- Rejected partner records are kept to be fixed and replayed, then deleted by the retention job
-- after Gateway:Jobs:RetainRejectedRecords (issue 17): this finds the old ones without a scan.
create index partner_record_rejected on partner_record (received_at) where state = 'rejected';
