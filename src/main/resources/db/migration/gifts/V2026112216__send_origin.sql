-- Where a send came from: the API, or a gift link (whose recipient clicks, claims and confirms the address on the
-- claim pages, so the sandbox provider leaves those steps to them).
ALTER TABLE gifts.sends ADD COLUMN origin text NOT NULL DEFAULT 'api' CHECK (origin IN ('api', 'gift_link'));

DROP INDEX gifts.sends_sandbox_idx;
CREATE INDEX sends_sandbox_idx ON gifts.sends (updated_at)
    WHERE provider = 'sandbox' AND dispatched_at IS NOT NULL
        AND (status IN ('address_confirmed', 'processed', 'shipped')
             OR (origin = 'api' AND status IN ('created', 'approved', 'clicked')));
