-- Every stored field record takes its id in the registry (field_records), before the next
-- migration makes the record tables, the material lines, the stock ledger and the shortfalls
-- reference it. Before the registry an id could be stored twice: by another agency, or as
-- another kind of record. Where it was, the record made first keeps the id and each other one
-- is given a new id, with an audit entry naming both. Its material lines, stock entries and
-- shortfalls move with it where they can be told apart: they are its agency's and the first
-- record is another agency's, or the first record is an activity, which has none. Otherwise
-- (an inspection and a visit of one agency) they stay with the first record. The tallies are
-- then counted again from the records, which the double counting left wrong.
INSERT INTO "field_records" ("id", "agency_id", "kind")
SELECT DISTINCT ON (r.id) r.id, r.agency_id, r.kind
FROM (
  SELECT id, agency_id, 'inspection' AS kind, created_at, 1 AS rank FROM "inspections"
  UNION ALL
  SELECT id, agency_id, 'outreach_visit', created_at, 2 FROM "outreach_visits"
  UNION ALL
  SELECT id, agency_id, 'activity', created_at, 3 FROM "activities"
) r
ORDER BY r.id, r.created_at, r.rank;
--> statement-breakpoint
CREATE TEMPORARY TABLE "milepost_rekeyed_records" ON COMMIT DROP AS
SELECT r.id AS old_id, gen_random_uuid() AS new_id, r.agency_id, r.kind,
  f.agency_id AS keeper_agency_id, f.kind AS keeper_kind
FROM (
  SELECT id, agency_id, 'inspection' AS kind FROM "inspections"
  UNION ALL
  SELECT id, agency_id, 'outreach_visit' FROM "outreach_visits"
  UNION ALL
  SELECT id, agency_id, 'activity' FROM "activities"
) r
JOIN "field_records" f ON f.id = r.id
WHERE (f.agency_id, f.kind) <> (r.agency_id, r.kind);
--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM milepost_rekeyed_records) THEN
    RETURN;
  END IF;
  -- The tallies are counted again below, and an inspection's tip moves with it by hand.
  ALTER TABLE inspections DISABLE TRIGGER USER;
  ALTER TABLE outreach_visits DISABLE TRIGGER USER;
  ALTER TABLE activities DISABLE TRIGGER USER;
  ALTER TABLE record_materials DISABLE TRIGGER USER;
  ALTER TABLE tips DROP CONSTRAINT tips_inspection_id_inspections_id_fk;

  INSERT INTO field_records (id, agency_id, kind)
  SELECT new_id, agency_id, kind FROM milepost_rekeyed_records;
  UPDATE inspections r SET id = k.new_id FROM milepost_rekeyed_records k
  WHERE k.kind = 'inspection' AND r.id = k.old_id;
  UPDATE outreach_visits r SET id = k.new_id FROM milepost_rekeyed_records k
  WHERE k.kind = 'outreach_visit' AND r.id = k.old_id;
  UPDATE activities r SET id = k.new_id FROM milepost_rekeyed_records k
  WHERE k.kind = 'activity' AND r.id = k.old_id;
  UPDATE tips t SET inspection_id = k.new_id FROM milepost_rekeyed_records k
  WHERE k.kind = 'inspection' AND t.inspection_id = k.old_id AND t.agency_id = k.agency_id;
  -- Activities have no material. Lines are told apart by their material's agency.
  UPDATE record_materials rm SET record_id = k.new_id
  FROM milepost_rekeyed_records k, materials m
  WHERE k.kind <> 'activity' AND rm.record_id = k.old_id AND m.id = rm.material_id
    AND m.agency_id = k.agency_id
    AND (k.agency_id <> k.keeper_agency_id OR k.keeper_kind = 'activity');
  UPDATE stock_ledger l SET record_id = k.new_id FROM milepost_rekeyed_records k
  WHERE k.kind <> 'activity' AND l.record_id = k.old_id AND l.agency_id = k.agency_id
    AND (k.agency_id <> k.keeper_agency_id OR k.keeper_kind = 'activity');
  UPDATE stock_shortfalls s SET record_id = k.new_id FROM milepost_rekeyed_records k
  WHERE k.kind <> 'activity' AND s.record_id = k.old_id AND s.agency_id = k.agency_id
    AND (k.agency_id <> k.keeper_agency_id OR k.keeper_kind = 'activity');

  INSERT INTO audit_log (agency_id, action, entity_type, entity_id, before, after)
  SELECT agency_id, kind || '.id_changed', kind, new_id::text,
    jsonb_build_object('id', old_id),
    jsonb_build_object('id', new_id, 'reason',
      'Its id was already the id of another record, stored first; a record id belongs to one agency and one kind of record.')
  FROM milepost_rekeyed_records;

  ALTER TABLE tips ADD CONSTRAINT tips_inspection_id_inspections_id_fk
    FOREIGN KEY (inspection_id) REFERENCES inspections(id) ON DELETE no action ON UPDATE no action;
  ALTER TABLE inspections ENABLE TRIGGER USER;
  ALTER TABLE outreach_visits ENABLE TRIGGER USER;
  ALTER TABLE activities ENABLE TRIGGER USER;
  ALTER TABLE record_materials ENABLE TRIGGER USER;

  DELETE FROM record_tallies;
  EXECUTE milepost_tally_sql('inspections', 'SELECT r.*, 1 AS sign FROM inspections r');
  EXECUTE milepost_tally_sql('outreach_visits', 'SELECT r.*, 1 AS sign FROM outreach_visits r');
  EXECUTE milepost_tally_sql('activities', 'SELECT r.*, 1 AS sign FROM activities r');
END
$$;
