-- The idempotency key a caller gave a run: a run with a key that already succeeded is answered from the log instead
-- of calling the receiver again (a hand-over or a journey step resumed after a crash).
ALTER TABLE connectors.calls ADD COLUMN idempotency_key text;
CREATE INDEX calls_succeeded_key_idx ON connectors.calls (project_id, action_id, idempotency_key)
    WHERE outcome = 'succeeded' AND idempotency_key IS NOT NULL;
