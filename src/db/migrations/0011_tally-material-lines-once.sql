-- A new record and its material lines are now inserted by one statement (a record's create,
-- decision 0010). At the end of that statement each table's trigger sees the other's new rows,
-- so the record's trigger would count the lines that the lines' own trigger counts too. A
-- record's INSERT now leaves its material lines to that trigger; an UPDATE or a DELETE of a
-- record still moves or removes its lines' counts, as before.

-- milepost_tally_sql, with a choice of whether a record's changes carry its material lines.
CREATE FUNCTION "milepost_tally_sql"("record_table" text, "changes" text, "with_material_lines" boolean)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  contributions text;
BEGIN
  IF with_material_lines OR record_table NOT IN ('inspections', 'outreach_visits') THEN
    RETURN milepost_tally_sql(record_table, changes);
  END IF;
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
    $q$
    WHEN 'outreach_visits' THEN $q$
      SELECT ch.agency_id, ch.initiative_id, ch.local_date, ch.officer_id, ch.place_id,
        m.metric, '', ch.sign * m.value
      FROM changes ch CROSS JOIN LATERAL (
        VALUES ('outreach_visits', 1),
          ('people_reached', ch.reached_drivers + ch.reached_staff + ch.reached_public)
      ) AS m(metric, value)
      WHERE ch.deleted_at IS NULL AND m.value <> 0
    $q$
  END;
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
DO $$
DECLARE
  record_table text;
BEGIN
  FOREACH record_table IN ARRAY ARRAY['inspections', 'outreach_visits'] LOOP
    EXECUTE format('CREATE OR REPLACE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS %L',
      format('milepost_tally_%s_insert', record_table),
      'BEGIN ' || milepost_tally_sql(record_table, 'SELECT n.*, 1 AS sign FROM new_rows n', false)
        || '; RETURN NULL; END');
  END LOOP;
END
$$;
