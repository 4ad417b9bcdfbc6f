import { sql } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import { inspections } from '#db/schema.ts';
import {
  type CreateInspection,
  createInspectionSchema,
  type Inspection,
  inspectionSchema,
  type UpdateInspection,
  updateInspectionSchema,
} from '#shared/contracts/records.ts';
import type { RouteDeps } from '../../http/deps.ts';
import { csvBoolean, csvNumber, csvPlain, csvText } from '../../records/csv-sql.ts';
import { csvMaterials } from '../../records/field-records.repository.ts';
import { registerRecordRoutes } from '../../records/field-records.routes.ts';
import { presentRecord, type RecordKind } from '../../records/field-records.service.ts';

/** Roadside inspections: the outreach given, material handed out, red flags and action. */
export const inspectionKind: RecordKind<
  typeof inspections,
  CreateInspection,
  Inspection,
  UpdateInspection
> = {
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
  newColumns: (input) => ({
    lat: input.position?.lat ?? null,
    lon: input.position?.lon ?? null,
    level: input.level,
    usdotNumber: input.usdotNumber,
    reportNumber: input.reportNumber,
    reportState: input.reportState,
    vehicleType: input.vehicleType,
    outreachGiven: input.outreachGiven,
    redFlags: input.redFlags,
    action: input.action,
    source: 'milepost',
  }),
  csvColumns: [
    { header: 'level', value: csvPlain(inspections.level) },
    { header: 'usdot_number', value: csvText(inspections.usdotNumber) },
    { header: 'report_number', value: csvText(inspections.reportNumber) },
    { header: 'report_state', value: csvText(inspections.reportState) },
    { header: 'vehicle_type', value: csvPlain(inspections.vehicleType) },
    { header: 'lat', value: csvNumber(inspections.lat) },
    { header: 'lon', value: csvNumber(inspections.lon) },
    { header: 'outreach_given', value: csvBoolean(inspections.outreachGiven) },
    csvMaterials(inspections.id),
    { header: 'red_flags', value: csvPlain(sql`array_to_string(${inspections.redFlags}, ';')`) },
    { header: 'action', value: csvPlain(inspections.action) },
    { header: 'source', value: csvPlain(inspections.source) },
  ],
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
