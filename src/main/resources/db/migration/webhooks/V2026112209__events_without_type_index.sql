-- The stream's (project_id, type, seq) index cost about a fifth of a bulk import's time (one more index entry for
-- every customer imported), while the feed filtered by type reads the (project_id, seq) index in order just as well
-- for the types that matter in volume.
DROP INDEX IF EXISTS webhooks.events_project_type_idx;
