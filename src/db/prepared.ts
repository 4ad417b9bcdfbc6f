import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database, Executor } from './client.ts';

/*
 * Statements that every request makes are built once, not at every call, and on a PostgreSQL
 * server prepared once per connection under their name: Drizzle's query building and the
 * server's parsing and planning are otherwise paid each time (decision 0010).
 */

/**
 * A query-builder query built once per database. `build` makes it with `sql.placeholder`s and
 * ends with `.prepare(name)`.
 *
 * NOTE: a query prepared this way runs on the database it was built on, never inside a caller's
 * transaction; keep it for single statements that need none.
 */
export function preparedQuery<Query>(build: (db: Database) => Query): (db: Database) => Query {
  const built = new WeakMap<Database, Query>();
  return (db) => {
    let query = built.get(db);
    if (!query) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}

const dialect = new PgDialect();

/**
 * A statement of our own SQL, turned into text once, with its values given by placeholder name
 * at each run. It runs on the connection of whatever it is given (the database, or a
 * transaction), and answers the rows as the driver reads them: write such statements to answer
 * JSON, booleans, numbers and text, which both engines read alike.
 */
export function preparedStatement<Row>(
  name: string,
  statement: SQL,
): (db: Executor, values: Record<string, unknown>) => Promise<Row[]> {
  const query = dialect.sqlToQuery(statement);
  return async (db, values) => {
    const prepared = db._.session.prepareQuery<{
      execute: { rows: Row[] };
      all: unknown;
      values: unknown;
    }>(query, undefined, name, false);
    const result = await prepared.execute(values);
    return result.rows;
  };
}
