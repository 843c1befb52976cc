-- The office's own writes join its audit log: a school-list import, an
-- assignment, a removed adviser's schools, the advisers' directory. Their
-- account is NULL (the office's device belongs to no account) and
-- office_action names the administrator's command. From this version on
-- every logged write keeps the values it replaced (JSON, null where a field
-- had none); earlier rows have none.
ALTER TABLE applied_op ADD COLUMN office_action TEXT;
ALTER TABLE applied_op ADD COLUMN fields_before TEXT;
