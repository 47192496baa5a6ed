-- Budgets: wallets on a double-entry ledger. Every entry moves an amount from one account to another (the outside
-- world's "funding", or a wallet's "available", "held" or "spent"); a wallet's balances are the running sums of
-- its entries, kept on the wallet row so that a hold is one conditional update, and never below zero.
CREATE SCHEMA IF NOT EXISTS budgets;

CREATE TABLE budgets.wallets (
    id                       text        PRIMARY KEY,
    project_id               text        NOT NULL,
    name                     text        NOT NULL,
    owner_type               text        NOT NULL CHECK (owner_type IN ('team', 'sender', 'campaign')),
    owner_id                 text        NOT NULL,
    currency                 text        NOT NULL,
    available                bigint      NOT NULL DEFAULT 0 CHECK (available >= 0),
    held                     bigint      NOT NULL DEFAULT 0 CHECK (held >= 0),
    spent                    bigint      NOT NULL DEFAULT 0 CHECK (spent >= 0),
    per_recipient_annual_cap bigint      CHECK (per_recipient_annual_cap > 0),
    low_balance_threshold    bigint      CHECK (low_balance_threshold >= 0),
    approval_threshold       bigint      CHECK (approval_threshold >= 0),
    -- Set when budget.low / budget.exhausted was emitted; cleared when money comes back, so each fires once per dip.
    low_since                timestamptz,
    exhausted_since          timestamptz,
    metadata                 jsonb       NOT NULL DEFAULT '{}',
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL
);
CREATE INDEX wallets_project_idx ON budgets.wallets (project_id, created_at, id);
CREATE INDEX wallets_owner_idx ON budgets.wallets (project_id, owner_type, owner_id, currency);

CREATE TABLE budgets.entries (
    id             text        PRIMARY KEY,
    project_id     text        NOT NULL,
    wallet_id      text        NOT NULL REFERENCES budgets.wallets (id),
    type           text        NOT NULL CHECK (type IN ('top_up', 'hold', 'capture', 'release', 'refund', 'adjustment')),
    from_account   text        NOT NULL CHECK (from_account IN ('funding', 'available', 'held', 'spent')),
    to_account     text        NOT NULL CHECK (to_account IN ('funding', 'available', 'held', 'spent')),
    amount         bigint      NOT NULL CHECK (amount > 0),
    reference_type text,
    reference_id   text,
    available_after bigint     NOT NULL,
    held_after     bigint      NOT NULL,
    spent_after    bigint      NOT NULL,
    actor          text        NOT NULL,
    memo           text,
    created_at     timestamptz NOT NULL,
    CHECK (from_account <> to_account)
);
CREATE INDEX entries_wallet_idx ON budgets.entries (project_id, wallet_id, created_at, id);
CREATE INDEX entries_reference_idx ON budgets.entries (project_id, reference_id) WHERE reference_id IS NOT NULL;

-- The ledger is append-only: a correction is a new entry, never an edit.
CREATE FUNCTION budgets.refuse_entry_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON budgets.entries
    FOR EACH ROW EXECUTE FUNCTION budgets.refuse_entry_change();

-- One hold per reference (a send): it is taken, then captured, released or refunded once, whatever retries.
CREATE TABLE budgets.holds (
    project_id   text        NOT NULL,
    reference_id text        NOT NULL,
    wallet_id    text        NOT NULL REFERENCES budgets.wallets (id),
    amount       bigint      NOT NULL CHECK (amount > 0),
    recipient    text,
    spend_year   integer     NOT NULL,
    status       text        NOT NULL CHECK (status IN ('held', 'captured', 'released', 'refunded')),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (project_id, reference_id)
);
CREATE INDEX holds_wallet_idx ON budgets.holds (wallet_id) WHERE status = 'held';

-- What each recipient has been given from a wallet in a calendar year (UTC), for the per-recipient cap.
CREATE TABLE budgets.recipient_spend (
    wallet_id  text    NOT NULL REFERENCES budgets.wallets (id),
    recipient  text    NOT NULL,
    spend_year integer NOT NULL,
    amount     bigint  NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (wallet_id, recipient, spend_year)
);
