import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ValidationError } from '../errors.ts';

/**
 * What every request's input must be before a route sees it (decision 0014): JSON without
 * duplicate keys, prototype keys or nesting past `maxJsonDepth`, and text without NUL bytes or
 * lone surrogates anywhere (body, query string, path). PostgreSQL cannot store a NUL in text,
 * and a lone surrogate has no UTF-8 form: either would otherwise fail in the database, or be
 * silently changed, long after the field it came in could be named.
 */

/** Deeper than any payload of Milepost's; deep enough nesting would overflow a recursive walk. */
export const maxJsonDepth = 32;

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const comma = 0x2c;

interface Frame {
  kind: 'object' | 'array';
  keys: Set<string>;
  expectingKey: boolean;
  /** The member being read: its key in an object, its index in an array. */
  at: string | number | undefined;
}

/**
 * Parses a JSON request body, refusing duplicate keys (which JSON.parse would settle silently,
 * the last one winning, so that a proxy and Milepost could read two different requests),
 * `__proto__` and `constructor.prototype` keys, and nesting deeper than `maxJsonDepth`.
 * NOTE: no parser on npm that Milepost depends on reports duplicate keys (Fastify's
 * secure-json-parse does not), so the structure is checked here, by an iterative scan of the
 * text JSON.parse has just accepted.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw ValidationError.field('body', 'is empty; send a JSON document');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw ValidationError.field('body', 'is not valid JSON');
  }
  checkJsonStructure(text);
  return value;
}

function checkJsonStructure(text: string): void {
  const frames: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      const end = endOfString(text, i);
      const frame = frames.at(-1);
      if (frame?.kind === 'object' && frame.expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const parent = frames.at(-2)?.at;
        if (frame.keys.has(key)) {
          throw ValidationError.field(pathOf(frames, key), 'is given twice; give each field once');
        }
        if (key === '__proto__' || (key === 'prototype' && parent === 'constructor')) {
          throw ValidationError.field(pathOf(frames, key), 'is not a field name Milepost accepts');
        }
        frame.keys.add(key);
        frame.at = key;
        frame.expectingKey = false;
      }
      i = end;
    } else if (c === openBrace || c === openBracket) {
      if (frames.length >= maxJsonDepth) {
        throw ValidationError.field(
          'body',
          `is nested too deeply (more than ${maxJsonDepth} levels)`,
        );
      }
      const isObject = c === openBrace;
      frames.push({
        kind: isObject ? 'object' : 'array',
        keys: new Set(),
        expectingKey: isObject,
        at: isObject ? undefined : 0,
      });
    } else if (c === closeBrace || c === closeBracket) {
      frames.pop();
    } else if (c === comma) {
      const frame = frames.at(-1);
      if (frame?.kind === 'object') frame.expectingKey = true;
      else if (frame) frame.at = Number(frame.at) + 1;
    }
  }
}

/** The index of the quote that ends the string starting at `start`, in valid JSON. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === backslash) i++;
    else if (c === quote) return i;
  }
  return text.length;
}

function pathOf(frames: Frame[], last?: string): string {
  const parts = frames.slice(0, last === undefined ? frames.length : -1).map((f) => f.at);
  if (last !== undefined) parts.push(last);
  return parts.filter((p) => p !== undefined).join('.');
}

/** Whether a string holds a NUL or a lone surrogate: text that PostgreSQL cannot keep as given. */
export function isUnsafeText(value: string): boolean {
  return value.includes('\u0000') || !value.isWellFormed();
}

/**
 * The path of the first string (or key) in `value` that is unsafe text, or undefined. The walk
 * is iterative: `value` may come from a form or query string, where nothing bounded its depth.
 */
export function findUnsafeText(value: unknown, root = ''): string | undefined {
  const pending: { value: unknown; path: string }[] = [{ value, path: root }];
  const join = (path: string, key: string | number) =>
    path === '' ? String(key) : `${path}.${key}`;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: item, path } = next;
    if (typeof item === 'string') {
      if (isUnsafeText(item)) return path;
    } else if (Array.isArray(item)) {
      item.forEach((member, index) => {
        pending.push({ value: member, path: join(path, index) });
      });
    } else if (item !== null && typeof item === 'object' && isPlainObject(item)) {
      for (const [key, member] of Object.entries(item)) {
        if (isUnsafeText(key)) return join(path, '(a field name)');
        pending.push({ value: member, path: join(path, key) });
      }
    }
  }
  return undefined;
}

/**
 * Plain data (parsed JSON, a form, a query string), not a stream or a buffer. Fastify's query
 * string parser makes objects whose prototype is an empty object without a prototype: those are
 * plain too (before, the query string of a route without a schema went unchecked).
 */
export function isPlainObject(value: object): boolean {
  for (let prototype = Object.getPrototypeOf(value); prototype !== null; ) {
    if (prototype === Object.prototype) return true;
    if (Reflect.ownKeys(prototype).length > 0) return false;
    prototype = Object.getPrototypeOf(prototype);
  }
  return true;
}

const unsafeTextMessage = 'holds a NUL character or a lone surrogate, which are not text';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route reads its body as a file of rows and checks each row's text itself, naming the
     * row and field of every unsafe value (the places import): its body is left to it.
     */
    bodyTextCheckedByRoute?: true;
  }
}

function refuseUnsafeText(request: FastifyRequest): void {
  const ownBody = request.routeOptions.config.bodyTextCheckedByRoute === true;
  for (const [part, value] of [
    ['params', request.params],
    ['query', request.query],
    ['body', ownBody ? undefined : request.body],
  ] as const) {
    const field = findUnsafeText(value);
    if (field !== undefined) throw ValidationError.field(field || part, unsafeTextMessage);
  }
}

/**
 * The top-level field names an object body schema knows, or undefined for a schema that is not
 * one object (a union, a record, a file): those are left to the schema itself.
 */
export function fieldNamesOf(schema: unknown): Set<string> | undefined {
  let inner = schema;
  while (inner instanceof z.ZodPipe) inner = inner.in;
  return inner instanceof z.ZodObject ? new Set(Object.keys(inner.shape)) : undefined;
}

/** Edits: a field Milepost does not know would otherwise be dropped, and the edit saved without it. */
const editMethods = new Set(['PATCH', 'PUT']);

/**
 * An edit (`PATCH`, `PUT`) naming a field that is neither one of its own nor one of the resource
 * it answers with is refused, naming it: zod drops unknown keys, so an edit of `nottes` was
 * answered 200, at a new version, having changed nothing, and the caller believed the notes
 * saved. A field of the resource as read (`id`, `localDate`) is still dropped without a word, so
 * that a client may send back what it read.
 */
function refuseUnknownEditFields(request: FastifyRequest): void {
  if (!editMethods.has(request.method)) return;
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const schema = request.routeOptions.schema as
    | { body?: unknown; response?: Record<string, unknown> }
    | undefined;
  const editable = fieldNamesOf(schema?.body);
  if (!editable) return;
  const read = fieldNamesOf(schema?.response?.[200]) ?? new Set<string>();
  const unknown = Object.keys(body).find((key) => !editable.has(key) && !read.has(key));
  if (unknown !== undefined) {
    throw ValidationError.field(
      unknown,
      `is not a field this edit knows (it changes ${[...editable].join(', ')}); nothing was changed`,
    );
  }
}

/**
 * Replaces Fastify's JSON parser by `parseJsonBody`, and refuses unsafe text in the path, the
 * query string and any parsed body (JSON, a form, a CSV read as text), and an edit's fields that
 * its route does not know, before validation, after the access check: a caller who may not use
 * a route learns nothing of what it expects.
 */
export function registerInputChecks(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(String(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addHook('preValidation', async (request) => {
    refuseUnsafeText(request);
    refuseUnknownEditFields(request);
  });
}
