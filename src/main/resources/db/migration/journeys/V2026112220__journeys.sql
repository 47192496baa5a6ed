-- Programs (journeys): a draft that is edited, immutable published versions, and the participants who run through a
-- version's step graph. A participant row is its own work item: due at next_run_at, taken by a node with a lease.
CREATE SCHEMA IF NOT EXISTS journeys;

CREATE TABLE journeys.programs (
    id                text        PRIMARY KEY,
    project_id        text        NOT NULL,
    name              text        NOT NULL,
    description       text,
    -- draft (never published), active, paused or stopped
    status            text        NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'stopped')),
    definition        jsonb       NOT NULL,
    version           integer,
    trigger_type      text        NOT NULL,
    -- For schedule triggers: when the published version enters its participants next.
    next_fire_at      timestamptz,
    -- For max_participants_per_hour: the hour being filled and how many it holds.
    admission_slot    timestamptz,
    admission_count   integer     NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    published_at      timestamptz,
    UNIQUE (project_id, name)
);
CREATE INDEX programs_project_idx ON journeys.programs (project_id, created_at, id);
CREATE INDEX programs_schedule_idx ON journeys.programs (next_fire_at) WHERE status = 'active';

CREATE TABLE journeys.versions (
    program_id   text        NOT NULL REFERENCES journeys.programs (id) ON DELETE CASCADE,
    version      integer     NOT NULL,
    project_id   text        NOT NULL,
    definition   jsonb       NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (program_id, version)
);

CREATE TABLE journeys.participants (
    id           text        PRIMARY KEY,
    project_id   text        NOT NULL,
    program_id   text        NOT NULL REFERENCES journeys.programs (id) ON DELETE CASCADE,
    version      integer     NOT NULL,
    customer_id  text        NOT NULL,
    -- 1 for the first time the customer entered the program, 2 for the second (when re-entry is allowed), …
    entry        integer     NOT NULL,
    -- active (due to run), waiting (in a wait), completed, failed, exited (the program was stopped)
    status       text        NOT NULL CHECK (status IN ('active', 'waiting', 'completed', 'failed', 'exited')),
    step         text,
    -- the entering event, and each finished step's status and outputs
    variables    jsonb       NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    next_run_at  timestamptz,
    lease_until  timestamptz,
    lease_token  text,
    error        text,
    entered_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    UNIQUE (program_id, customer_id, entry)
);
-- One participation at a time per customer, however many entries re-entry allows.
CREATE UNIQUE INDEX participants_running_idx ON journeys.participants (program_id, customer_id)
    WHERE status IN ('active', 'waiting');
CREATE INDEX participants_due_idx ON journeys.participants (next_run_at) WHERE status IN ('active', 'waiting');
CREATE INDEX participants_program_idx ON journeys.participants (program_id, entered_at, id);
CREATE INDEX participants_customer_idx ON journeys.participants (project_id, customer_id);

-- What happened to each participant, step by step.
CREATE TABLE journeys.history (
    seq            bigserial   PRIMARY KEY,
    project_id     text        NOT NULL,
    program_id     text        NOT NULL,
    participant_id text        NOT NULL REFERENCES journeys.participants (id) ON DELETE CASCADE,
    step           text,
    step_type      text,
    -- entered, succeeded, failed, retrying, waiting, skipped, completed, exited
    outcome        text        NOT NULL,
    detail         jsonb       NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL
);
CREATE INDEX history_participant_idx ON journeys.history (participant_id, seq);
CREATE INDEX history_program_idx ON journeys.history (program_id, step, outcome);
