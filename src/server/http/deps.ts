import type { Database } from '#db/client.ts';
import { problemSchema } from '#shared/contracts/problem.ts';
import type { Config } from '../config.ts';
import type { Secrets } from '../secrets.ts';

/** What every route plugin receives: the database, the parsed configuration and the key ring. */
export interface RouteDeps {
  db: Database;
  config: Config;
  secrets: Secrets;
}

/** OpenAPI entries for the problem+json answers a route may give. */
export function problemResponses<const C extends number>(...codes: C[]) {
  return Object.fromEntries(codes.map((code) => [code, problemSchema])) as Record<
    C,
    typeof problemSchema
  >;
}
