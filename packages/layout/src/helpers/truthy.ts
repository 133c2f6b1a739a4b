/** Handlebars' idea of a value worth printing: not empty, and not an empty list. */
export function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value)
}
