import type { FastifyPluginAsync } from 'fastify';
import { outreachVisits } from '#db/schema.ts';
import {
  type CreateOutreachVisit,
  createOutreachVisitSchema,
  type OutreachVisit,
  outreachVisitSchema,
  updateOutreachVisitSchema,
} from '#shared/contracts/records.ts';
import type { RouteDeps } from '../../http/deps.ts';
import { registerRecordRoutes } from '../../records/field-records.routes.ts';
import {
  materialsCell,
  presentRecord,
  type RecordKind,
  recordCsvColumns,
} from '../../records/field-records.service.ts';

/** Visits to truck stops and other places: people reached, material left, posters put up. */
export const outreachVisitKind: RecordKind<
  typeof outreachVisits,
  CreateOutreachVisit,
  OutreachVisit
> = {
  entity: 'outreach_visit',
  label: 'outreach visit',
  table: outreachVisits,
  columnsOf: (input) => ({
    ...(input.reached !== undefined
      ? {
          reachedDrivers: input.reached.drivers,
          reachedStaff: input.reached.staff,
          reachedPublic: input.reached.public,
        }
      : {}),
    ...(input.postersPutUp !== undefined ? { postersPutUp: input.postersPutUp } : {}),
    ...(input.managerEngaged !== undefined ? { managerEngaged: input.managerEngaged } : {}),
    ...(input.followUpOn !== undefined ? { followUpOn: input.followUpOn } : {}),
  }),
  csvColumns: (names) =>
    recordCsvColumns<OutreachVisit>(names, [
      { header: 'reached_drivers', value: (r) => r.reached.drivers },
      { header: 'reached_staff', value: (r) => r.reached.staff },
      { header: 'reached_public', value: (r) => r.reached.public },
      { header: 'materials', value: (r) => materialsCell(r.materials, names) },
      { header: 'posters_put_up', value: (r) => r.postersPutUp },
      { header: 'manager_engaged', value: (r) => r.managerEngaged },
      { header: 'follow_up_on', value: (r) => r.followUpOn },
    ]),
  present: (row, extras) =>
    presentRecord(row, {
      reached: { drivers: row.reachedDrivers, staff: row.reachedStaff, public: row.reachedPublic },
      materials: extras.materials,
      postersPutUp: row.postersPutUp,
      managerEngaged: row.managerEngaged,
      followUpOn: row.followUpOn,
      shortfalls: extras.shortfalls,
    }),
};

export const outreachVisitsRoutes: FastifyPluginAsync<RouteDeps> = async (app, { db }) => {
  registerRecordRoutes(app, db, {
    path: '/api/outreach-visits',
    tag: 'outreach visits',
    kind: outreachVisitKind,
    create: createOutreachVisitSchema,
    update: updateOutreachVisitSchema,
    response: outreachVisitSchema,
  });
};
