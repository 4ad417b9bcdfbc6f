import fc from 'fast-check';
import { z } from 'zod';

/** The parts of a JSON Schema (as zod writes one) that say which values a field takes. */
interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
}

/** Up to this many items or keys: an edit's value, not a load test. */
const maxItems = 4;

/**
 * Values that a zod schema's input takes, as fast-check draws them from its JSON Schema: plain,
 * readable ones (words, digits, dates of this century), since these tests are about what an edit
 * changes, not about hostile input. Refinements a JSON Schema cannot say (a time zone's name,
 * "not in the future") are the caller's to filter on with the schema itself.
 */
export function valuesOf(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fromJsonSchema(
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
  );
}

function fromJsonSchema(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(fromJsonSchema));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      // Four decimals, as a coordinate is given: exact through a double precision column.
      return fc
        .integer({
          min: Math.ceil((schema.minimum ?? -1_000_000) * 1e4),
          max: Math.floor((schema.maximum ?? 1_000_000) * 1e4),
        })
        .map((n) => n / 1e4);
    case 'string':
      return stringsOf(schema);
    case 'array':
      return fc.array(fromJsonSchema(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? maxItems, maxItems),
      });
    case 'object':
      return objectsOf(schema);
    default:
      throw new Error(`valuesOf: no values for the JSON Schema ${JSON.stringify(schema)}`);
  }
}

function stringsOf(schema: JsonSchema): fc.Arbitrary<string> {
  const fits = (value: string) =>
    value.length >= (schema.minLength ?? 0) && value.length <= (schema.maxLength ?? Infinity);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'date':
      return dates().map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return dates().map((d) => d.toISOString());
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  return fc
    .array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 })
    .map((picked) => picked.join(' '))
    .filter(fits);
}

function dates(): fc.Arbitrary<Date> {
  return fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2025-12-31T23:59:59Z'),
    noInvalidDate: true,
  });
}

function objectsOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.properties) {
    const model = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, fromJsonSchema(value)]),
    );
    return fc.record(model, { requiredKeys: schema.required ?? [] });
  }
  const values =
    typeof schema.additionalProperties === 'object'
      ? fromJsonSchema(schema.additionalProperties)
      : fc.string();
  return fc.dictionary(
    schema.propertyNames ? stringsOf(schema.propertyNames) : fc.string(),
    values,
    { maxKeys: maxItems },
  );
}

const words = [
  'north',
  'lot',
  'exit',
  'fuel',
  'island',
  'driver',
  'cab',
  'trailer',
  'logbook',
  'weigh',
  'station',
  'route',
  'seventy',
  'Missouri',
  'plaza',
  'east',
  'gate',
  'card',
  'decal',
  'report',
];

/**
 * A value of `schema`'s input that `accept` takes, drawn the same way every run (the seed comes
 * from `label`), so a failure names a value that fails again.
 */
export function pickValue(
  schema: z.ZodType,
  label: string,
  accept: (value: unknown) => boolean,
): unknown {
  const seed = [...label].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) | 0, 7);
  const candidates = fc.sample(valuesOf(schema), { numRuns: 500, seed });
  const found = candidates.find(accept);
  if (found === undefined) throw new Error(`no value of ${label} among 500 drawn passes`);
  return found;
}
