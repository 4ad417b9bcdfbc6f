-- An inspection an officer flags (a red flag, or an action other than none) enters the tip queue
-- in the same statement that stores it: whatever path wrote it (the field app, an edit, an
-- import of Milepost's CSV). An edit that flags an inspection enters it once; one that was
-- already flagged, or whose entry was purged, does not enter it again. The entry links to the
-- inspection; what it says stays the inspection's.
CREATE FUNCTION "milepost_tip_from_inspection_insert"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO tips (agency_id, source, inspection_id, place_id, seen_on)
  SELECT n.agency_id, 'inspection', n.id, n.place_id, n.local_date
  FROM new_rows n
  WHERE n.deleted_at IS NULL AND n.source = 'milepost'
    AND (cardinality(n.red_flags) > 0 OR n.action <> 'none')
  ON CONFLICT (inspection_id) DO NOTHING;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE FUNCTION "milepost_tip_from_inspection_update"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
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
--> statement-breakpoint
CREATE TRIGGER "inspections_tip_insert" AFTER INSERT ON "inspections"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "milepost_tip_from_inspection_insert"();
--> statement-breakpoint
CREATE TRIGGER "inspections_tip_update" AFTER UPDATE ON "inspections"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "milepost_tip_from_inspection_update"();
--> statement-breakpoint
-- Inspections flagged before this migration.
INSERT INTO tips (agency_id, source, inspection_id, place_id, seen_on)
SELECT i.agency_id, 'inspection', i.id, i.place_id, i.local_date
FROM inspections i
WHERE i.deleted_at IS NULL AND i.source = 'milepost'
  AND (cardinality(i.red_flags) > 0 OR i.action <> 'none');
