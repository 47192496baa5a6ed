-- A program's figures (participants per status, outcomes per step) as counts that every write adds to in the same
-- statement, instead of counting a large program's participants and history at every look: a row either moves
-- participants between statuses (status) or counts a step's outcomes (step, outcome). ProgramCounts folds a
-- program's rows into one per figure now and then.
CREATE TABLE journeys.program_counts (
    program_id text   NOT NULL,
    status     text,
    step       text,
    outcome    text,
    n          bigint NOT NULL,
    CHECK ((status IS NOT NULL AND step IS NULL AND outcome IS NULL)
        OR (status IS NULL AND step IS NOT NULL AND outcome IS NOT NULL))
);
CREATE INDEX program_counts_program_idx ON journeys.program_counts (program_id);

INSERT INTO journeys.program_counts (program_id, status, n)
SELECT program_id, status, count(*) FROM journeys.participants GROUP BY program_id, status;

INSERT INTO journeys.program_counts (program_id, step, outcome, n)
SELECT program_id, step, outcome, count(*) FROM journeys.history WHERE step IS NOT NULL
GROUP BY program_id, step, outcome;
