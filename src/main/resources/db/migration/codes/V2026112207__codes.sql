-- Codes: vouchers (generated, imported or standalone), their publications to customers, redemptions and rollbacks.
CREATE SCHEMA IF NOT EXISTS codes;

CREATE TABLE codes.vouchers (
    id                  text        PRIMARY KEY,
    project_id          text        NOT NULL,
    code                text        NOT NULL,
    campaign_id         text,
    category            text,
    type                text        NOT NULL,
    discount            jsonb,
    gift_amount         bigint,
    -- A gift voucher's balance never goes below zero, whatever runs at the same time.
    gift_balance        bigint      CHECK (gift_balance >= 0),
    currency            text,
    redemption_quantity integer     CHECK (redemption_quantity > 0),
    redeemed_quantity   integer     NOT NULL DEFAULT 0,
    redeemed_amount     bigint      NOT NULL DEFAULT 0,
    start_date          timestamptz,
    expiration_date     timestamptz,
    active              boolean     NOT NULL,
    is_referral_code    boolean     NOT NULL DEFAULT false,
    publish_count       integer     NOT NULL DEFAULT 0,
    holder_id           text,
    metadata            jsonb       NOT NULL DEFAULT '{}',
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- A code is never redeemed more often than its limit allows.
    CHECK (redemption_quantity IS NULL OR redeemed_quantity <= redemption_quantity),
    CHECK (redeemed_quantity >= 0)
);
-- One code value per project: what makes generation collision-safe across nodes.
CREATE UNIQUE INDEX vouchers_code_idx ON codes.vouchers (project_id, code);
CREATE INDEX vouchers_created_idx ON codes.vouchers (project_id, created_at, id);
CREATE INDEX vouchers_campaign_idx ON codes.vouchers (campaign_id, created_at, id);
-- The campaign's codes nobody holds yet, in the order publication hands them out.
CREATE INDEX vouchers_unpublished_idx ON codes.vouchers (campaign_id, id) WHERE holder_id IS NULL;
CREATE INDEX vouchers_holder_idx ON codes.vouchers (holder_id) WHERE holder_id IS NOT NULL;

CREATE TABLE codes.publications (
    id          text        PRIMARY KEY,
    project_id  text        NOT NULL,
    campaign_id text,
    voucher_id  text        NOT NULL,
    code        text        NOT NULL,
    customer_id text        NOT NULL,
    join_once   boolean     NOT NULL,
    source_id   text,
    channel     text,
    metadata    jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL
);
CREATE INDEX publications_created_idx ON codes.publications (project_id, created_at, id);
-- join_once: one code per customer and campaign, however many calls arrive at once.
CREATE UNIQUE INDEX publications_join_once_idx ON codes.publications (campaign_id, customer_id) WHERE join_once;
-- A publication's source_id makes it idempotent, as in Voucherify.
CREATE UNIQUE INDEX publications_source_id_idx ON codes.publications (project_id, source_id);
CREATE INDEX publications_customer_idx ON codes.publications (customer_id);

CREATE TABLE codes.redemptions (
    id              text        PRIMARY KEY,
    project_id      text        NOT NULL,
    -- A redemption of several codes at once is a parent (related_object_type 'redemption') with one child per code.
    parent_id       text        REFERENCES codes.redemptions (id),
    related_object_type text    NOT NULL DEFAULT 'voucher',
    voucher_id      text,
    code            text,
    campaign_id     text,
    customer_id     text,
    tracking_id     text,
    result          text        NOT NULL,
    status          text        NOT NULL,
    failure_code    text,
    failure_message text,
    amount          bigint      NOT NULL DEFAULT 0,
    gift_amount     bigint,
    order_data      jsonb,
    metadata        jsonb       NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL
);
CREATE INDEX redemptions_created_idx ON codes.redemptions (project_id, created_at, id);
-- Per-customer limits count a customer's successful redemptions of a code or a campaign.
CREATE INDEX redemptions_voucher_customer_idx ON codes.redemptions (voucher_id, customer_id) WHERE status = 'SUCCEEDED';
CREATE INDEX redemptions_campaign_customer_idx ON codes.redemptions (campaign_id, customer_id) WHERE status = 'SUCCEEDED';
CREATE INDEX redemptions_customer_idx ON codes.redemptions (customer_id, created_at);
CREATE INDEX redemptions_parent_idx ON codes.redemptions (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE codes.rollbacks (
    id            text        PRIMARY KEY,
    project_id    text        NOT NULL,
    -- A redemption is rolled back at most once.
    redemption_id text        NOT NULL UNIQUE REFERENCES codes.redemptions (id),
    parent_id     text        REFERENCES codes.rollbacks (id),
    customer_id   text,
    tracking_id   text,
    reason        text,
    amount        bigint      NOT NULL,
    gift_amount   bigint,
    metadata      jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL
);
CREATE INDEX rollbacks_created_idx ON codes.rollbacks (project_id, created_at, id);
