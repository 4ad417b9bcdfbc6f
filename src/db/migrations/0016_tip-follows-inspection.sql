-- An inspection's entry in the tip queue shows where and on which day the inspection says it
-- was (migration 0014 copied both when the entry was made): an edit that moves the inspection
-- to another place or day moves its entry with it. An edit that changes neither (its notes, say)
-- leaves the entry exactly as it was; an edit that flags it still enters it once, as before.
CREATE OR REPLACE FUNCTION "milepost_tip_from_inspection_update"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE tips t SET place_id = n.place_id, seen_on = n.local_date
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE t.inspection_id = n.id
    AND (n.place_id IS DISTINCT FROM o.place_id OR n.local_date IS DISTINCT FROM o.local_date);
  INSERT INTO tips (agency_id, source, inspection_id, place_id, seen_on)
  SELECT n.agency_id, 'inspection', n.id, n.place_id, n.local_date
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE n.deleted_at IS NULL AND n.source = 'milepost'
    AND (cardinality(n.red_flags) > 0 OR n.action <> 'none')
    AND NOT (cardinality(o.red_flags) > 0 OR o.action <> 'none')
  ON CONFLICT (inspection_id) DO NOTHING;
  RETURN NULL;
END
$fn$;
