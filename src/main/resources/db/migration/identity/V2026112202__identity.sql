-- Identity: projects (tenants), API keys, console users.
CREATE SCHEMA IF NOT EXISTS identity;

CREATE TABLE identity.projects (
    id         text        PRIMARY KEY,
    name       text        NOT NULL,
    is_default boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX projects_one_default_idx ON identity.projects (is_default) WHERE is_default;

CREATE TABLE identity.api_keys (
    id           text        PRIMARY KEY,
    project_id   text        NOT NULL REFERENCES identity.projects (id),
    name         text        NOT NULL,
    app_id       text        NOT NULL UNIQUE,
    token_hash   text        NOT NULL,
    token_last4  text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('admin', 'member')),
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_keys_project_idx ON identity.api_keys (project_id, created_at, id);

CREATE TABLE identity.users (
    id            text        PRIMARY KEY,
    project_id    text        NOT NULL REFERENCES identity.projects (id),
    email         text        NOT NULL,
    name          text,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('admin', 'member')),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
-- Console login is by e-mail, so an e-mail names one user across all projects.
CREATE UNIQUE INDEX users_email_idx ON identity.users (lower(email));
CREATE INDEX users_project_idx ON identity.users (project_id, created_at, id);
