import fc from 'fast-check';
import { z } from 'zod';

/**
 * fast-check arbitraries built from a route's zod schemas, through their JSON Schema
 * (`z.toJSONSchema`): values that mostly pass validation (so that cases reach the services and
 * the database), each then possibly changed in one place to a hostile value.
 * NOTE: no library on npm builds arbitraries from zod 4 schemas well (zod-fast-check stops at
 * zod 3), so this small converter covers what Milepost's contracts use; anything it does not
 * know becomes an arbitrary JSON value, which validation then refuses.
 */

export type JsonSchema = {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  default?: unknown;
};

/** Values the fixtures hold, so that generated requests name records that exist. */
export interface Pools {
  /** Ids of records of every kind, in the caller's agency and in another. */
  uuids: string[];
  /** Known values by field name: `email`, `slug`, `key`, `started`, `receipt`, `secret`... */
  byName: Record<string, string[]>;
  /** Every property name of every route's schemas, and the fields of forms and files. */
  fieldNames: string[];
}

/** The JSON Schema of a zod schema as a request gives it (its input), or undefined. */
export function jsonSchemaOf(schema: unknown): JsonSchema | undefined {
  if (!schema) return undefined;
  return z.toJSONSchema(schema as z.ZodType, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
}

/** Every property name that appears anywhere in `schema`. */
export function propertyNamesIn(schema: JsonSchema | undefined, into = new Set<string>()) {
  if (!schema || typeof schema !== 'object') return into;
  for (const name of Object.keys(schema.properties ?? {})) into.add(name);
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...Object.values(schema.$defs ?? {}),
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.allOf ?? []),
    ...(schema.prefixItems ?? []),
    ...(schema.items ? [schema.items] : []),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
  ];
  for (const child of children) propertyNamesIn(child, into);
  return into;
}

const now = () => Date.now();
const recentInstant = () =>
  fc
    .date({
      min: new Date('2019-01-01T00:00:00Z'),
      max: new Date(now() - 60_000),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString());
const recentDate = () =>
  fc
    .date({
      min: new Date('2019-01-01T00:00:00Z'),
      max: new Date('2032-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/\$defs\//, '');
  return root.$defs?.[name] ?? {};
}

/** A value the schema accepts (mostly), with field names steering toward the pools' values. */
export function arbitraryOf(
  input: JsonSchema,
  root: JsonSchema,
  pools: Pools,
  name?: string,
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolve(input, root);
  if (depth > 8) return fc.constant(null);
  const known = name ? pools.byName[name] : undefined;
  const plain = plainArbitraryOf(schema, root, pools, name, depth);
  return known && known.length > 0
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: plain })
    : plain;
}

function plainArbitraryOf(
  schema: JsonSchema,
  root: JsonSchema,
  pools: Pools,
  name: string | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  const next = (s: JsonSchema, n?: string) => arbitraryOf(s, root, pools, n ?? name, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((s) => next(s)));
  if (schema.allOf && schema.allOf.length > 0) {
    const parts = schema.allOf.map((s) => resolve(s, root));
    if (parts.every((p) => p.type === 'object' || p.properties)) {
      return next({
        type: 'object',
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      });
    }
    return next(parts[0] ?? {});
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArbitrary(schema, pools, name);
    case 'integer':
    case 'number': {
      if (name === 'version') return fc.integer({ min: 1, max: 4 });
      const min = schema.minimum ?? (schema.exclusiveMinimum ?? -1_000_001) + 1;
      const max = schema.maximum ?? (schema.exclusiveMaximum ?? 1_000_001) - 1;
      const bounded = { min: Math.max(min, -1_000_000), max: Math.min(max, 1_000_000) };
      if (bounded.min > bounded.max) return fc.constant(min);
      return type === 'integer'
        ? fc.integer(bounded)
        : fc.double({ ...bounded, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map((s) => next(s)));
      const maxLength = Math.min(schema.maxItems ?? 4, 4);
      return fc.array(next(schema.items ?? {}), {
        minLength: Math.min(schema.minItems ?? 0, maxLength),
        maxLength,
      });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const entries = Object.entries(properties);
      if (entries.length === 0 && schema.additionalProperties !== false) {
        const value =
          typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
        const key = schema.propertyNames
          ? next(schema.propertyNames)
          : fc.oneof(fc.constantFrom(...pools.fieldNames), fc.string({ maxLength: 12 }));
        return fc
          .array(fc.tuple(key as fc.Arbitrary<string>, next(value)), { maxLength: 6 })
          .map((pairs) => Object.fromEntries(pairs.map(([k, v]) => [String(k), v])));
      }
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, member] of entries) record[key] = next(member, key);
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringArbitrary(schema: JsonSchema, pools: Pools, name?: string): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case 'uuid':
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...pools.uuids) },
        { weight: 1, arbitrary: fc.uuid() },
      );
    case 'date':
      return recentDate();
    case 'date-time':
      return recentInstant();
    case 'email':
      return fc.emailAddress();
    case 'uri':
    case 'url':
      return fc.webUrl();
  }
  const maxLength = Math.min(schema.maxLength ?? 40, 60);
  const minLength = Math.min(schema.minLength ?? 0, maxLength);
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? 10_000));
    } catch {
      // A pattern JavaScript cannot compile: any text, which validation then judges.
    }
  }
  return fc.string({
    minLength,
    maxLength,
    unit: name === 'notes' ? 'grapheme' : 'grapheme-ascii',
  });
}

/** A deeply nested JSON text: what overflows a recursive walk. */
export const deepJson = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/**
 * What a hostile caller sends in place of a value: text PostgreSQL cannot store, numbers past
 * int4 and past a double's integers, the year 0, offsets no clock has, markup, odd types.
 */
export const hostileValues: unknown[] = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '',
  ' ',
  'x'.repeat(10_001),
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  "'; drop table users; --",
  '../../../../etc/passwd',
  '=HYPERLINK("http://example.test")',
  '\u202egnp.exe',
  '🚚🚨',
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 53,
  -(2 ** 63),
  1e308,
  -1,
  0,
  0.5,
  '2147483648',
  '1e400',
  'NaN',
  '0000-01-01',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '1899-12-31',
  '9999-12-31T23:59:59Z',
  '10000-01-01',
  '2024-02-30',
  '2024-01-01T10:00:00+23:59',
  '2024-01-01T10:00:00-15:59',
  '2024-01-01T10:00:00+14:01',
  '2024-01-01T10:00:00.123456789Z',
  null,
  true,
  [],
  {},
  [[[['deep']]]],
  { nested: { again: { and: { again: [1, 2, 3] } } } },
  JSON.parse(`{"a":${deepJson(40)}}`),
];

/** Every place in a JSON value where one value could be put instead, as paths. */
export function pathsOf(
  value: unknown,
  path: (string | number)[] = [],
  into: (string | number)[][] = [],
) {
  into.push(path);
  if (path.length > 6) return into;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) pathsOf(v, [...path, i], into);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], into);
  }
  return into;
}

export type Mutation =
  | { kind: 'none' }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'drop'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown };

export const mutationArbitrary = (pools: Pools): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('replace' as const),
        at: fc.nat(),
        value: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...hostileValues) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        at: fc.nat(),
        key: fc.oneof(
          fc.constantFrom(...pools.fieldNames),
          fc.constantFrom('__proto__', 'a\u0000'),
        ),
        value: fc.constantFrom(...hostileValues),
      }),
    },
  );

/** `value` with the mutation applied (a copy; the original is left as it was). */
export function mutate(value: unknown, mutation: Mutation): unknown {
  if (mutation.kind === 'none') return value;
  const copy = structuredClone(value);
  const paths = pathsOf(copy);
  const path = paths[mutation.at % paths.length] ?? [];
  if (path.length === 0) {
    if (mutation.kind === 'replace') return mutation.value;
    if (mutation.kind === 'add' && copy && typeof copy === 'object' && !Array.isArray(copy)) {
      Object.defineProperty(copy, mutation.key, {
        value: mutation.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (mutation.kind === 'replace') parent[last] = mutation.value;
  else if (mutation.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last])) {
    Object.defineProperty(parent[last], mutation.key, {
      value: mutation.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
