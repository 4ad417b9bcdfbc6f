import type { z } from 'zod';

type Shape = Record<string, z.ZodType>;

/** For each field it names, the value a new record takes when the field is left out. */
export type DefaultsOf<S extends Shape> = { [K in keyof S]?: z.output<S[K]> };

export type WithDefaults<S extends Shape, D extends DefaultsOf<S>> = {
  [K in keyof S]: K extends keyof D ? z.ZodDefault<S[K]> : S[K];
};

/**
 * The fields of a create schema: the same field types an update takes, with a value for each
 * field that `defaults` names. Contracts write a resource's field types once, without defaults;
 * the update schema takes them as they are (`.partial()`) and the create schema through this.
 *
 * NOTE: an update schema must never be a create schema made `.partial()`: zod keeps a field's
 * `.default()` through `.partial()`, so every field an edit left out would be reset.
 */
export function withDefaults<S extends Shape, D extends DefaultsOf<S>>(
  fields: S,
  defaults: D,
): WithDefaults<S, D> {
  const shape: Record<string, z.ZodType> = { ...fields };
  for (const [key, value] of Object.entries(defaults)) {
    const field = fields[key];
    if (field === undefined) throw new Error(`withDefaults: no field ${key}`);
    shape[key] = field.default(value as never);
  }
  return shape as WithDefaults<S, D>;
}
