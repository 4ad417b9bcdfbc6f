import { randomUUID } from 'node:crypto';
import { formToken } from '#server/features/public/public.service.ts';
import type { Role } from '#shared/roles.ts';
import { testSecrets } from '../test-secrets.ts';
import type { FuzzRequest, FuzzWorld } from './route-fuzz.ts';

/**
 * The cases an outside fuzz found answered 500 (issue 13): each must be refused with a 400 that
 * names its field, and write nothing. They run as the fuzz's explicit examples of their routes
 * (fast-check `examples`) and, one by one, in outside-cases.db.test.ts.
 */
export interface OutsideCase {
  route: string;
  role: Role | null;
  request: FuzzRequest;
  /** The field the refusal names: in the problem's errors, or linked from the form page. */
  field: string;
}

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

export function outsideCases(world: FuzzWorld): OutsideCase[] {
  const record = world.homeInspectionId;
  const slug = world.pools.byName.slug?.[0] ?? 'none';
  const recent = new Date(Date.now() - 3_600_000).toISOString().slice(0, 19);
  const create = (fields: Record<string, unknown>) =>
    JSON.stringify({ id: randomUUID(), occurredAt: `${recent}Z`, level: 'II', ...fields });
  const cases: OutsideCase[] = [
    {
      route: 'POST /api/auth/login',
      role: null,
      request: {
        method: 'POST',
        url: '/api/auth/login',
        headers: json,
        payload: '{"email":"a\\u0000@x.test","password":"x"}',
      },
      field: 'email',
    },
    ...[
      '/api/inspections',
      '/api/outreach-visits',
      '/api/activities',
      '/api/places',
      '/api/initiatives',
    ].map(
      (list): OutsideCase => ({
        route: `GET ${list}`,
        role: 'supervisor',
        request: { method: 'GET', url: `${list}?cursor=2026-01-01%00`, headers: {} },
        field: 'cursor',
      }),
    ),
    {
      route: 'GET /api/audit',
      role: 'agency_admin',
      request: { method: 'GET', url: '/api/audit?cursor=%00', headers: {} },
      field: 'cursor',
    },
    {
      route: 'GET /api/tips',
      role: 'supervisor',
      request: { method: 'GET', url: '/api/tips?cursor=%00', headers: {} },
      field: 'cursor',
    },
    {
      route: 'PATCH /api/inspections/:id',
      role: 'supervisor',
      request: {
        method: 'PATCH',
        url: `/api/inspections/${record}`,
        headers: json,
        payload: '{"version":2147483648,"notes":"x"}',
      },
      field: 'version',
    },
    {
      route: 'PATCH /api/inspections/:id',
      role: 'supervisor',
      request: {
        method: 'PATCH',
        url: `/api/inspections/${record}`,
        headers: json,
        payload: '{"version":1,"notes":"x\\ud800y"}',
      },
      field: 'notes',
    },
    {
      route: 'POST /api/inspections',
      role: 'supervisor',
      request: {
        method: 'POST',
        url: '/api/inspections',
        headers: json,
        // JSON.stringify writes the NUL as the escape \u0000, as a client would send it.
        payload: create({ notes: 'a\u0000b' }),
      },
      field: 'notes',
    },
    {
      route: 'POST /api/inspections',
      role: 'supervisor',
      request: {
        method: 'POST',
        url: '/api/inspections',
        headers: json,
        payload: create({ occurredAt: `${recent}+23:59` }),
      },
      field: 'occurredAt',
    },
    {
      route: 'POST /api/inspections',
      role: 'supervisor',
      request: {
        method: 'POST',
        url: '/api/inspections',
        headers: json,
        payload: create({ occurredAt: '0000-01-01T00:00:00Z' }),
      },
      field: 'occurredAt',
    },
    {
      route: 'POST /api/inspections',
      role: 'supervisor',
      request: {
        method: 'POST',
        url: '/api/inspections',
        headers: json,
        payload: create({}).replace('{', `{"id":"${randomUUID()}",`),
      },
      field: 'id',
    },
    {
      route: 'POST /api/outreach-visits',
      role: 'supervisor',
      request: {
        method: 'POST',
        url: '/api/outreach-visits',
        headers: json,
        payload: JSON.stringify({
          id: randomUUID(),
          occurredAt: `${recent}Z`,
          followUpOn: '0000-01-01',
        }),
      },
      field: 'followUpOn',
    },
    {
      route: 'POST /api/initiatives',
      role: 'supervisor',
      request: {
        method: 'POST',
        url: '/api/initiatives',
        headers: json,
        payload: JSON.stringify({
          id: randomUUID(),
          name: 'Year zero',
          startsOn: '0000-01-01',
          endsOn: '0000-01-05',
        }),
      },
      field: 'startsOn',
    },
    {
      route: 'GET /api/places',
      role: 'supervisor',
      request: { method: 'GET', url: '/api/places?limit=99999999999', headers: {} },
      field: 'limit',
    },
    {
      route: 'POST /api/imports/statistics',
      role: 'analyst',
      request: {
        method: 'POST',
        url: '/api/imports/statistics',
        headers: json,
        payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      },
      field: 'body',
    },
    {
      route: 'GET /api/inspections/export.csv',
      role: 'supervisor',
      request: { method: 'GET', url: '/api/inspections/export.csv?from=0000-01-01', headers: {} },
      field: 'from',
    },
    {
      route: 'POST /p/:slug/tips',
      role: null,
      request: {
        method: 'POST',
        url: `/p/${slug}/tips`,
        headers: form,
        payload: new URLSearchParams({
          started: formToken(testSecrets, slug, Date.now() - 60_000),
          narrative: 'A van dropped two people at the truck lot.',
          seenOn: '0000-01-01',
        }).toString(),
      },
      field: 'seenOn',
    },
  ];
  return cases;
}
