-- Campaigns: discount, gift-voucher, referral and promotion programs, with the template their codes follow.
CREATE SCHEMA IF NOT EXISTS campaigns;

CREATE TABLE campaigns.campaigns (
    id               text        PRIMARY KEY,
    project_id       text        NOT NULL,
    name             text        NOT NULL,
    description      text,
    campaign_type    text        NOT NULL,
    type             text        NOT NULL,
    voucher          jsonb       NOT NULL,
    start_date       timestamptz,
    expiration_date  timestamptz,
    active           boolean     NOT NULL,
    join_once        boolean     NOT NULL,
    rules            jsonb       NOT NULL DEFAULT '[]',
    per_customer     integer,
    referral_program jsonb,
    category         text,
    vouchers_count   bigint      NOT NULL DEFAULT 0,
    generation       text        NOT NULL DEFAULT 'DONE',
    metadata         jsonb       NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
-- Campaigns are addressed by id or by name, as in Voucherify, so a name is unique in its project.
CREATE UNIQUE INDEX campaigns_name_idx ON campaigns.campaigns (project_id, name);
CREATE INDEX campaigns_created_idx ON campaigns.campaigns (project_id, created_at, id);
