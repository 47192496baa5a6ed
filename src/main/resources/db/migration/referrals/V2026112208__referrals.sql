-- Referrals: each referee converts once per campaign, and what the referrer got for it.
CREATE SCHEMA IF NOT EXISTS referrals;

CREATE TABLE referrals.conversions (
    id            text        PRIMARY KEY,
    project_id    text        NOT NULL,
    campaign_id   text        NOT NULL,
    code          text        NOT NULL,
    referrer_id   text        NOT NULL,
    referee_id    text        NOT NULL,
    trigger       text        NOT NULL,
    redemption_id text,
    event         text,
    rewarded      boolean     NOT NULL,
    reward        jsonb,
    created_at    timestamptz NOT NULL
);
-- One conversion per referee and campaign, however the conversions arrive.
CREATE UNIQUE INDEX conversions_referee_idx ON referrals.conversions (campaign_id, referee_id);
CREATE INDEX conversions_referrer_idx ON referrals.conversions (campaign_id, referrer_id) WHERE rewarded;
CREATE INDEX conversions_created_idx ON referrals.conversions (project_id, created_at, id);
