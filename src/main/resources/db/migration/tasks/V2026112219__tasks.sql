-- Calls to action for the account team: "check in with Claire in 14 days", created over the API or by a program step.
CREATE SCHEMA IF NOT EXISTS tasks;

CREATE TABLE tasks.tasks (
    id             text        PRIMARY KEY,
    project_id     text        NOT NULL,
    title          text        NOT NULL,
    description    text,
    customer_id    text,
    assignee       text,
    due_at         timestamptz,
    status         text        NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    -- api, or program when a program step created it (then with the program and participant)
    origin         text        NOT NULL,
    program_id     text,
    participant_id text,
    metadata       jsonb       NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    closed_at      timestamptz
);
CREATE INDEX tasks_project_idx ON tasks.tasks (project_id, created_at, id);
CREATE INDEX tasks_open_idx ON tasks.tasks (project_id, assignee, due_at) WHERE status = 'open';
CREATE INDEX tasks_customer_idx ON tasks.tasks (project_id, customer_id);
CREATE INDEX tasks_program_idx ON tasks.tasks (program_id) WHERE program_id IS NOT NULL;
