import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { findUnsafeText, registerInputChecks } from './request-input.ts';

describe('the input checks every request goes through', () => {
  const app = Fastify();
  beforeAll(async () => {
    registerInputChecks(app);
    app.setErrorHandler((error, _request, reply) =>
      reply
        .status(error instanceof ValidationError ? 400 : 500)
        .send({ fields: error instanceof ValidationError ? error.fieldErrors : [] }),
    );
    // Routes without schemas: nothing but the checks stands between the input and the handler.
    app.get('/plain', async () => ({ ok: true }));
    app.post('/plain/:name', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(() => app.close());

  it.each([
    ['a query string', 'GET', '/plain?cursor=%00', undefined, 'cursor'],
    ['a path', 'POST', '/plain/a%00b', { a: 1 }, 'name'],
    ['a JSON body', 'POST', '/plain/x', { notes: ['fine', 'a\u0000b'] }, 'notes.1'],
    ['a JSON string with a lone surrogate', 'POST', '/plain/x', { name: 'a\ud800' }, 'name'],
    ['a JSON key', 'POST', '/plain/x', { 'a\u0000': 1 }, '(a field name)'],
  ])('refuses unsafe text in %s, naming where', async (_what, method, url, payload, field) => {
    const response = await app.inject({ method: method as 'GET' | 'POST', url, payload });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().fields[0].field).toBe(field);
  });

  it('lets plain text through', async () => {
    const response = await app.inject({ method: 'GET', url: '/plain?cursor=abc&q=%C3%A9' });
    expect(response.statusCode).toBe(200);
  });

  it('walks a query string object made by the parser, whatever its prototype', () => {
    const query = Object.create(Object.create(null));
    query.cursor = '\u0000';
    expect(findUnsafeText({ query })).toBe('query.cursor');
  });
});
