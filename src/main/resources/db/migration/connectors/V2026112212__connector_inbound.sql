-- How a connector's system calls back into Bestow: verification settings and mapping rules, and its secret (encrypted).
ALTER TABLE connectors.connectors ADD COLUMN inbound jsonb, ADD COLUMN inbound_secret bytea;
