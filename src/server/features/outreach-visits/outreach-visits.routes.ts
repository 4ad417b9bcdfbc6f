import type { FastifyPluginAsync } from 'fastify';
import { outreachVisits } from '#db/schema.ts';
import {
  type CreateOutreachVisit,
  createOutreachVisitSchema,
  type OutreachVisit,
  outreachVisitSchema,
  type UpdateOutreachVisit,
  updateOutreachVisitSchema,
} from '#shared/contracts/records.ts';
import type { RouteDeps } from '../../http/deps.ts';
import { csvBoolean, csvNumber, csvPlain } from '../../records/csv-sql.ts';
import { csvMaterials } from '../../records/field-records.repository.ts';
import { registerRecordRoutes } from '../../records/field-records.routes.ts';
import { presentRecord, type RecordKind } from '../../records/field-records.service.ts';

/** Visits to truck stops and other places: people reached, material left, posters put up. */
export const outreachVisitKind: RecordKind<
  typeof outreachVisits,
  CreateOutreachVisit,
  OutreachVisit,
  UpdateOutreachVisit
> = {
  entity: 'outreach_visit',
  label: 'outreach visit',
  table: outreachVisits,
  columnsOf: (input) => ({
    // An audience the edit leaves out keeps its count.
    ...(input.reached?.drivers !== undefined ? { reachedDrivers: input.reached.drivers } : {}),
    ...(input.reached?.staff !== undefined ? { reachedStaff: input.reached.staff } : {}),
    ...(input.reached?.public !== undefined ? { reachedPublic: input.reached.public } : {}),
    ...(input.postersPutUp !== undefined ? { postersPutUp: input.postersPutUp } : {}),
    ...(input.managerEngaged !== undefined ? { managerEngaged: input.managerEngaged } : {}),
    ...(input.followUpOn !== undefined ? { followUpOn: input.followUpOn } : {}),
  }),
  newColumns: (input) => ({
    reachedDrivers: input.reached.drivers,
    reachedStaff: input.reached.staff,
    reachedPublic: input.reached.public,
    postersPutUp: input.postersPutUp,
    managerEngaged: input.managerEngaged,
    followUpOn: input.followUpOn,
  }),
  csvColumns: [
    { header: 'reached_drivers', value: csvNumber(outreachVisits.reachedDrivers) },
    { header: 'reached_staff', value: csvNumber(outreachVisits.reachedStaff) },
    { header: 'reached_public', value: csvNumber(outreachVisits.reachedPublic) },
    csvMaterials(outreachVisits.id),
    { header: 'posters_put_up', value: csvNumber(outreachVisits.postersPutUp) },
    { header: 'manager_engaged', value: csvBoolean(outreachVisits.managerEngaged) },
    { header: 'follow_up_on', value: csvPlain(outreachVisits.followUpOn) },
  ],
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
