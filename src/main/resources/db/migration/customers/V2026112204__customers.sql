-- Customers: profiles synced from a CRM (upsert by source_id), their timeline, segments and milestones.
CREATE SCHEMA IF NOT EXISTS customers;

CREATE TABLE customers.customers (
    id                  text        PRIMARY KEY,
    project_id          text        NOT NULL,
    source_id           text,
    name                text,
    first_name          text,
    last_name           text,
    email               text,
    phone               text,
    description         text,
    birthdate           date,
    address_city        text,
    address_state       text,
    address_line_1      text,
    address_line_2      text,
    address_country     text,
    address_postal_code text,
    metadata            jsonb       NOT NULL DEFAULT '{}',
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
-- One customer per CRM id and project: the constraint that makes concurrent upserts converge.
CREATE UNIQUE INDEX customers_source_id_idx ON customers.customers (project_id, source_id);
CREATE INDEX customers_created_idx ON customers.customers (project_id, created_at, id);
CREATE INDEX customers_updated_idx ON customers.customers (project_id, updated_at, id);
CREATE INDEX customers_email_idx ON customers.customers (project_id, lower(email));

-- The timeline: custom events and, later, what other modules record about a customer.
CREATE TABLE customers.activities (
    id          text        PRIMARY KEY,
    project_id  text        NOT NULL,
    customer_id text        NOT NULL REFERENCES customers.customers (id) ON DELETE CASCADE,
    type        text        NOT NULL,
    name        text,
    data        jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL
);
CREATE INDEX activities_customer_idx ON customers.activities (project_id, customer_id, created_at DESC, id DESC);

-- Milestones: event names a project declares worth marking, and when each customer first reached them.
CREATE TABLE customers.milestones (
    id          text        PRIMARY KEY,
    project_id  text        NOT NULL,
    name        text        NOT NULL,
    event       text        NOT NULL,
    description text,
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX milestones_name_idx ON customers.milestones (project_id, name);
CREATE INDEX milestones_event_idx ON customers.milestones (project_id, event);

CREATE TABLE customers.milestones_reached (
    project_id   text        NOT NULL,
    customer_id  text        NOT NULL REFERENCES customers.customers (id) ON DELETE CASCADE,
    milestone_id text        NOT NULL REFERENCES customers.milestones (id) ON DELETE CASCADE,
    reached_at   timestamptz NOT NULL,
    PRIMARY KEY (customer_id, milestone_id)
);

-- Segments: saved CEL filters, and the customers each one holds now.
CREATE TABLE customers.segments (
    id         text        PRIMARY KEY,
    project_id text        NOT NULL,
    name       text        NOT NULL,
    filter     text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX segments_project_idx ON customers.segments (project_id, created_at, id);

CREATE TABLE customers.segment_members (
    project_id  text        NOT NULL,
    segment_id  text        NOT NULL REFERENCES customers.segments (id) ON DELETE CASCADE,
    customer_id text        NOT NULL REFERENCES customers.customers (id) ON DELETE CASCADE,
    entered_at  timestamptz NOT NULL,
    PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX segment_members_customer_idx ON customers.segment_members (customer_id);
