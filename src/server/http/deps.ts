import type { Database } from '#db/client.ts';
import { problemSchema } from '#shared/contracts/problem.ts';
import type { Config } from '../config.ts';

/** What every route plugin receives: the database and the parsed configuration. */
export interface RouteDeps {
  db: Database;
  config: Config;
}

/** OpenAPI entries for the problem+json answers a route may give. */
export function problemResponses<const C extends number>(...codes: C[]) {
  return Object.fromEntries(codes.map((code) => [code, problemSchema])) as Record<
    C,
    typeof problemSchema
  >;
}
