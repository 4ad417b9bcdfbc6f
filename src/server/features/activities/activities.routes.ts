import type { FastifyPluginAsync } from 'fastify';
import { activities } from '#db/schema.ts';
import {
  type Activity,
  activitySchema,
  type CreateActivity,
  createActivitySchema,
  updateActivitySchema,
} from '#shared/contracts/records.ts';
import type { RouteDeps } from '../../http/deps.ts';
import { registerRecordRoutes } from '../../records/field-records.routes.ts';
import { type RecordKind, recordCsvColumns } from '../../records/field-records.service.ts';

/** Other outreach: presentations, carrier trainings, media contacts, posts, message boards, events. */
export const activityKind: RecordKind<typeof activities, CreateActivity, Activity> = {
  entity: 'activity',
  label: 'activity',
  table: activities,
  columnsOf: (input) => ({
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    ...(input.count !== undefined ? { count: input.count } : {}),
  }),
  csvColumns: (names) =>
    recordCsvColumns<Activity>(names, [
      { header: 'kind', value: (r) => r.kind },
      { header: 'count', value: (r) => r.count },
    ]),
  present: (row) => ({
    id: row.id,
    agencyId: row.agencyId,
    initiativeId: row.initiativeId,
    officerId: row.officerId,
    occurredAt: row.occurredAt.toISOString(),
    localDate: row.localDate,
    placeId: row.placeId,
    kind: row.kind,
    count: row.count,
    notes: row.notes,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    deletedReason: row.deletedReason,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
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
