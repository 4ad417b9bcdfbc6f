-- One CSV field as Milepost's exports write it: empty for NULL; a text that a spreadsheet would
-- run as a formula (starting with =, +, -, @, a tab or a carriage return) prefixed with an
-- apostrophe; quoted, with its quotes doubled, when it holds a quote, a comma or a line break.
-- Numbers, dates, ids and codes are written by their own expressions and never pass through.
-- NOTE: one CASE expression and no sub-select, so that PostgreSQL inlines it into the query
-- instead of calling a function per field; strpos and left, not regular expressions.
CREATE FUNCTION csv_field(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN value IS NULL THEN ''
    WHEN strpos(value, '"') > 0 OR strpos(value, ',') > 0 OR strpos(value, E'\n') > 0
      OR strpos(value, E'\r') > 0
      THEN '"' || CASE WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' ELSE '' END
        || replace(value, '"', '""') || '"'
    WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t') THEN '''' || value
    ELSE value
  END
$$;
