-- A claim changes only a delivery's claim columns, none of them indexed: with room left on its page, the new version
-- goes there without touching the table's five indexes (an acknowledgement changes the status, which partial indexes
-- name, so it never could). Fresh deliveries are inserted in bulk, which would otherwise fill every page.
ALTER TABLE webhooks.deliveries SET (fillfactor = 70);
