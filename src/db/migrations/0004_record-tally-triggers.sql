-- record_tallies follows every change of a field record in the same statement: a statement
-- trigger per table takes what the statement removed (old rows, negative) and what it added
-- (new rows, positive), turns each live record into its contributions, and adds them up per
-- key. A soft delete removes a record's contributions; an edit moves them; material lines move
-- with their record. One upsert per statement, so a million-row import costs one, not a million.

-- The INSERT … SELECT that applies `changes` (rows of a record table with a `sign` column) of
-- table `record_table` to the tallies, as text: the trigger functions below are made from it,
-- and so is the backfill of records stored before this migration.
CREATE FUNCTION "milepost_tally_sql"("record_table" text, "changes" text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  contributions text;
  material_lines CONSTANT text := $q$
    SELECT ch.agency_id, ch.initiative_id, ch.local_date, ch.officer_id, ch.place_id,
      'material', rm.material_id::text, ch.sign * rm.quantity
    FROM changes ch JOIN record_materials rm ON rm.record_id = ch.id
    WHERE ch.deleted_at IS NULL
  $q$;
BEGIN
  contributions := CASE record_table
    WHEN 'inspections' THEN $q$
      SELECT ch.agency_id, ch.initiative_id, ch.local_date, ch.officer_id, ch.place_id,
        m.metric, m.detail, ch.sign * m.value
      FROM changes ch CROSS JOIN LATERAL (
        VALUES ('inspections', ch.source, 1),
          ('inspections_with_outreach', '', CASE WHEN ch.outreach_given THEN 1 ELSE 0 END),
          ('red_flag_observations', '', CASE WHEN cardinality(ch.red_flags) > 0 THEN 1 ELSE 0 END),
          ('referrals', '', CASE WHEN ch.action <> 'none' THEN 1 ELSE 0 END),
          ('action', ch.action, CASE WHEN ch.source = 'milepost' THEN 1 ELSE 0 END)
        UNION ALL
        SELECT 'red_flag', flag, 1 FROM unnest(ch.red_flags) AS flag
      ) AS m(metric, detail, value)
      WHERE ch.deleted_at IS NULL AND m.value <> 0
      UNION ALL $q$ || material_lines
    WHEN 'outreach_visits' THEN $q$
      SELECT ch.agency_id, ch.initiative_id, ch.local_date, ch.officer_id, ch.place_id,
        m.metric, '', ch.sign * m.value
      FROM changes ch CROSS JOIN LATERAL (
        VALUES ('outreach_visits', 1),
          ('people_reached', ch.reached_drivers + ch.reached_staff + ch.reached_public)
      ) AS m(metric, value)
      WHERE ch.deleted_at IS NULL AND m.value <> 0
      UNION ALL $q$ || material_lines
    WHEN 'activities' THEN $q$
      SELECT ch.agency_id, ch.initiative_id, ch.local_date, ch.officer_id, ch.place_id,
        'activity', ch.kind, ch.sign * ch.count
      FROM changes ch WHERE ch.deleted_at IS NULL
    $q$
    WHEN 'record_materials' THEN $q$
      SELECT r.agency_id, r.initiative_id, r.local_date, r.officer_id, r.place_id,
        'material', ch.material_id::text, ch.sign * ch.quantity
      FROM changes ch JOIN (
        SELECT id, agency_id, initiative_id, local_date, officer_id, place_id, deleted_at FROM inspections
        UNION ALL
        SELECT id, agency_id, initiative_id, local_date, officer_id, place_id, deleted_at FROM outreach_visits
      ) r ON r.id = ch.record_id
      WHERE r.deleted_at IS NULL
    $q$
  END;
  IF contributions IS NULL THEN
    RAISE EXCEPTION 'record_tallies: no contributions defined for table %', record_table;
  END IF;
  -- Sorted, so that two transactions lock the tally rows they share in the same order.
  RETURN format($q$
    WITH changes AS (%s),
    contributions (agency_id, initiative_id, local_date, officer_id, place_id, metric, detail, value) AS (%s)
    INSERT INTO record_tallies AS t
      (agency_id, initiative_id, local_date, officer_id, place_id, metric, detail, value)
    SELECT agency_id, initiative_id, local_date, officer_id, place_id, metric, detail, sum(value)
    FROM contributions
    GROUP BY agency_id, initiative_id, local_date, officer_id, place_id, metric, detail
    HAVING sum(value) <> 0
    ORDER BY agency_id, initiative_id, local_date, officer_id, place_id, metric, detail
    ON CONFLICT ON CONSTRAINT record_tallies_key DO UPDATE SET value = t.value + excluded.value
  $q$, changes, contributions);
END
$fn$;
--> statement-breakpoint
-- A trigger function per table and operation, each with its statement written out (made here
-- from milepost_tally_sql), so that PL/pgSQL plans it once per session instead of at every
-- statement as EXECUTE would.
DO $$
DECLARE
  record_table text;
  operation text;
  function_name text;
BEGIN
  FOREACH record_table IN ARRAY ARRAY['inspections', 'outreach_visits', 'activities', 'record_materials'] LOOP
    FOREACH operation IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
      function_name := format('milepost_tally_%s_%s', record_table, operation);
      EXECUTE format('CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS %L',
        function_name,
        'BEGIN ' || milepost_tally_sql(record_table, CASE operation
          WHEN 'insert' THEN 'SELECT n.*, 1 AS sign FROM new_rows n'
          WHEN 'delete' THEN 'SELECT o.*, -1 AS sign FROM old_rows o'
          ELSE 'SELECT o.*, -1 AS sign FROM old_rows o UNION ALL SELECT n.*, 1 AS sign FROM new_rows n'
        END) || '; RETURN NULL; END');
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %I()',
        format('%s_tally_%s', record_table, operation), upper(operation), record_table,
        CASE operation
          WHEN 'insert' THEN 'NEW TABLE AS new_rows'
          WHEN 'delete' THEN 'OLD TABLE AS old_rows'
          ELSE 'OLD TABLE AS old_rows NEW TABLE AS new_rows'
        END,
        function_name);
    END LOOP;
  END LOOP;
END
$$;
--> statement-breakpoint
-- Records stored before this migration: their contributions, material lines included.
DO $$
BEGIN
  EXECUTE milepost_tally_sql('inspections', 'SELECT r.*, 1 AS sign FROM inspections r');
  EXECUTE milepost_tally_sql('outreach_visits', 'SELECT r.*, 1 AS sign FROM outreach_visits r');
  EXECUTE milepost_tally_sql('activities', 'SELECT r.*, 1 AS sign FROM activities r');
END
$$;
