-- Gift links: claim links (stored only as a hash of their token), the recipients' e-mail verifications and the claims,
-- one per recipient per campaign.
CREATE SCHEMA IF NOT EXISTS giftlinks;

CREATE TABLE giftlinks.links (
    id          text        PRIMARY KEY,
    project_id  text        NOT NULL,
    token_hash  text        NOT NULL UNIQUE,
    campaign    text        NOT NULL,
    gift_id     text        NOT NULL,
    budget_id   text        NOT NULL,
    sender_id   text,
    message     text,
    multi_use   boolean     NOT NULL,
    max_claims  integer     CHECK (max_claims > 0),
    claims      integer     NOT NULL DEFAULT 0,
    hold_days   integer     NOT NULL CHECK (hold_days > 0),
    expires_at  timestamptz,
    revoked_at  timestamptz,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX links_project_idx ON giftlinks.links (project_id, created_at, id);

-- One per e-mail entered on a link's page. An address that is not a recipient still gets one (its code is never
-- sent), so the page cannot tell them apart; the reason stays here for admins.
CREATE TABLE giftlinks.verifications (
    id              text        PRIMARY KEY,
    project_id      text        NOT NULL,
    link_id         text        NOT NULL REFERENCES giftlinks.links (id),
    email           text        NOT NULL,
    customer_id     text,
    code_hash       text        NOT NULL,
    code_expires_at timestamptz NOT NULL,
    failed_attempts integer     NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    status          text        NOT NULL,
    reason          text,
    send_id         text,
    ip              text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX verifications_link_idx ON giftlinks.verifications (project_id, link_id, created_at, id);

CREATE TABLE giftlinks.claims (
    id              text        PRIMARY KEY,
    project_id      text        NOT NULL,
    link_id         text        NOT NULL REFERENCES giftlinks.links (id),
    campaign        text        NOT NULL,
    customer_id     text        NOT NULL,
    verification_id text        NOT NULL REFERENCES giftlinks.verifications (id),
    send_id         text        NOT NULL,
    created_at      timestamptz NOT NULL,
    -- A recipient claims once per campaign, whatever link of it they use.
    UNIQUE (project_id, campaign, customer_id)
);
CREATE INDEX claims_link_idx ON giftlinks.claims (project_id, link_id, created_at, id);
