/**
 * The fields of `draft` whose value differs from `original`'s: what an edit sends, so that it
 * changes nothing else (the server keeps every field an edit leaves out). Values are compared
 * whole: a list, or an object such as an initiative's goals, is sent whole when any of it changed.
 */
export function changedFields<T extends object>(original: T, draft: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(draft).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(original[key as keyof T]),
    ),
  ) as Partial<T>;
}
