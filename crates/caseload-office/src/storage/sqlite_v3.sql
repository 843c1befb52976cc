-- Pulls read each way a record reaches a device from its own index, in
-- sequence order: a school's records, an MSP group's, an adviser's own, and
-- the advisers' directory. The single-column indexes they replace gave the
-- records of a scope but not those changed after a device's cursor, so an
-- incremental pull walked every record changed since, whoever's it was.
CREATE INDEX record_urn_seq ON record (urn, seq) WHERE urn IS NOT NULL;
CREATE INDEX record_msp_group_seq ON record (msp_group, seq) WHERE msp_group IS NOT NULL;
CREATE INDEX record_adviser_seq ON record (adviser, seq) WHERE adviser IS NOT NULL;
-- Led by entity, so the planner prefers it to the primary key's (entity, key).
CREATE INDEX record_directory ON record (entity, seq, adviser) WHERE entity = 'adviser';
DROP INDEX record_urn;
DROP INDEX record_msp_group;
DROP INDEX record_adviser;
