-- Outbox operations name the fields a write changed instead of copying
-- their values; sync reads the current values from the record. An autosave
-- of a long note no longer writes the note twice.

UPDATE outbox
   SET fields = (SELECT json_group_array(key) FROM json_each(outbox.fields))
 WHERE json_type(fields) = 'object';
