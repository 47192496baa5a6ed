-- E-mails Bestow sends (one-time codes, gift e-mails), kept as an outbox: written with the change that causes them,
-- delivered over SMTP after the commit and retried; without SMTP they stay here for admins to read.
CREATE SCHEMA IF NOT EXISTS messaging;

CREATE TABLE messaging.mails (
    id              text        PRIMARY KEY,
    project_id      text        NOT NULL,
    to_address      text        NOT NULL,
    subject         text        NOT NULL,
    text_body       text        NOT NULL,
    html_body       text,
    purpose         text        NOT NULL,
    reference_id    text,
    -- stored (no SMTP configured), queued, sent or failed
    status          text        NOT NULL CHECK (status IN ('stored', 'queued', 'sent', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    -- When a queued mail is due: a node that takes it moves this a lease ahead; a failure, a backoff ahead.
    next_attempt_at timestamptz,
    error           text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX mails_project_idx ON messaging.mails (project_id, created_at, id);
CREATE INDEX mails_due_idx ON messaging.mails (next_attempt_at) WHERE status = 'queued';
