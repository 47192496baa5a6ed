-- Due participants are claimed program by program (an index scan per active program, in next_run_at order), which
-- no table statistics can make the planner trade for reading a program's every participant and sorting them.
DROP INDEX journeys.participants_due_idx;
CREATE INDEX participants_due_idx ON journeys.participants (program_id, next_run_at)
    WHERE status IN ('active', 'waiting');

-- A claim changes only the lease of a participant: with room left on its page (half of it; a participant's row is
-- about 500 bytes, and each round of a batch writes two versions of it), the new version goes there without
-- touching the table's six indexes.
ALTER TABLE journeys.participants SET (fillfactor = 50);

-- History lines are written by the thousand, each for a participant that the batch writing it holds locked; a foreign
-- key checked row by row cost more than the insert itself. Lines go with their program (see Programs.delete).
ALTER TABLE journeys.history DROP CONSTRAINT history_participant_id_fkey;
