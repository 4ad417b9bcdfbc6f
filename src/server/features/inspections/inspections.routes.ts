import type { FastifyPluginAsync } from 'fastify';
import { inspections } from '#db/schema.ts';
import {
  type CreateInspection,
  createInspectionSchema,
  type Inspection,
  inspectionSchema,
  updateInspectionSchema,
} from '#shared/contracts/records.ts';
import type { RouteDeps } from '../../http/deps.ts';
import { registerRecordRoutes } from '../../records/field-records.routes.ts';
import {
  materialsCell,
  presentRecord,
  type RecordKind,
  recordCsvColumns,
} from '../../records/field-records.service.ts';

/** Roadside inspections: the outreach given, material handed out, red flags and action. */
export const inspectionKind: RecordKind<typeof inspections, CreateInspection, Inspection> = {
  entity: 'inspection',
  label: 'inspection',
  table: inspections,
  columnsOf: (input) => ({
    ...(input.position !== undefined
      ? { lat: input.position?.lat ?? null, lon: input.position?.lon ?? null }
      : {}),
    ...(input.level !== undefined ? { level: input.level } : {}),
    ...(input.usdotNumber !== undefined ? { usdotNumber: input.usdotNumber } : {}),
    ...(input.reportNumber !== undefined ? { reportNumber: input.reportNumber } : {}),
    ...(input.reportState !== undefined ? { reportState: input.reportState } : {}),
    ...(input.vehicleType !== undefined ? { vehicleType: input.vehicleType } : {}),
    ...(input.outreachGiven !== undefined ? { outreachGiven: input.outreachGiven } : {}),
    ...(input.redFlags !== undefined ? { redFlags: input.redFlags } : {}),
    ...(input.action !== undefined ? { action: input.action } : {}),
  }),
  csvColumns: (names) =>
    recordCsvColumns<Inspection>(names, [
      { header: 'level', value: (r) => r.level },
      { header: 'usdot_number', value: (r) => r.usdotNumber },
      { header: 'report_number', value: (r) => r.reportNumber },
      { header: 'report_state', value: (r) => r.reportState },
      { header: 'vehicle_type', value: (r) => r.vehicleType },
      { header: 'lat', value: (r) => r.position?.lat },
      { header: 'lon', value: (r) => r.position?.lon },
      { header: 'outreach_given', value: (r) => r.outreachGiven },
      { header: 'materials', value: (r) => materialsCell(r.materials, names) },
      { header: 'red_flags', value: (r) => r.redFlags.join(';') },
      { header: 'action', value: (r) => r.action },
      { header: 'source', value: (r) => r.source },
    ]),
  present: (row, extras) =>
    presentRecord(row, {
      position: row.lat === null || row.lon === null ? null : { lat: row.lat, lon: row.lon },
      level: row.level,
      usdotNumber: row.usdotNumber,
      reportNumber: row.reportNumber,
      reportState: row.reportState,
      vehicleType: row.vehicleType,
      outreachGiven: row.outreachGiven,
      materials: extras.materials,
      redFlags: row.redFlags as Inspection['redFlags'],
      action: row.action,
      source: row.source,
      shortfalls: extras.shortfalls,
    }),
};

export const inspectionsRoutes: FastifyPluginAsync<RouteDeps> = async (app, { db }) => {
  registerRecordRoutes(app, db, {
    path: '/api/inspections',
    tag: 'inspections',
    kind: inspectionKind,
    create: createInspectionSchema,
    update: updateInspectionSchema,
    response: inspectionSchema,
  });
};
