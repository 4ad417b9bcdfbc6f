import type { FastifyPluginAsync } from 'fastify';
import { activities } from '#db/schema.ts';
import {
  type Activity,
  activitySchema,
  type CreateActivity,
  createActivitySchema,
  type UpdateActivity,
  updateActivitySchema,
} from '#shared/contracts/records.ts';
import type { RouteDeps } from '../../http/deps.ts';
import { csvNumber, csvPlain } from '../../records/csv-sql.ts';
import { registerRecordRoutes } from '../../records/field-records.routes.ts';
import { presentRecord, type RecordKind } from '../../records/field-records.service.ts';
import { assertActivityKind } from '../metrics/metrics.service.ts';

/** Other outreach: presentations, carrier trainings, media contacts, posts, message boards, events. */
export const activityKind: RecordKind<typeof activities, CreateActivity, Activity, UpdateActivity> =
  {
    entity: 'activity',
    label: 'activity',
    table: activities,
    columnsOf: (input) => ({
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.count !== undefined ? { count: input.count } : {}),
    }),
    newColumns: (input) => ({ kind: input.kind, count: input.count }),
    check: async (tx, agencyId, input) => {
      if (input.kind !== undefined) await assertActivityKind(tx, agencyId, input.kind);
    },
    csvColumns: [
      { header: 'kind', value: csvPlain(activities.kind) },
      { header: 'count', value: csvNumber(activities.count) },
    ],
    present: (row) =>
      presentRecord(row, {
        kind: row.kind,
        count: row.count,
      }),
  };

export const activitiesRoutes: FastifyPluginAsync<RouteDeps> = async (app, { db }) => {
  registerRecordRoutes(app, db, {
    path: '/api/activities',
    tag: 'activities',
    kind: activityKind,
    create: createActivitySchema,
    update: updateActivitySchema,
    response: activitySchema,
  });
};
