-- Exports are now written by COPY … TO STDOUT (FORMAT csv), which quotes a field when it must (a
-- quote, a comma or a line break in it) and writes NULL as an empty field. What is left to SQL
-- is the spreadsheet rule: a text that a spreadsheet would run as a formula (starting with =, +,
-- -, @, a tab or a carriage return) is prefixed with an apostrophe. An empty text becomes NULL,
-- so that COPY writes it as an empty field, not as "".
-- NOTE: one CASE expression, no sub-select: PostgreSQL inlines it into the query.
CREATE FUNCTION csv_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' || value
    ELSE nullif(value, '')
  END
$$;
--> statement-breakpoint
DROP FUNCTION csv_field(text);
