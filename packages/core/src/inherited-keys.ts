/**
 * Keys every object inherits (`__proto__`, `constructor`, `toString`, …) plus `prototype`.
 * valibot's `strictObject` checks keys with `in`, which finds inherited names, so a config
 * key named like one would pass unnoticed; and such keys are how a value reaches the
 * prototype of every object. They are never config keys.
 */
const INHERITED = new Set<string>([...Object.getOwnPropertyNames(Object.prototype), 'prototype'])

/**
 * The paths of keys in `data` (at any depth) named like an inherited property.
 *
 * @param data A parsed config: plain objects, arrays and values.
 * @returns Each path, as keys and indices, in document order.
 */
export function findInheritedKeys(data: unknown): Array<Array<string | number>> {
  const found: Array<Array<string | number>> = []
  const visit = (value: unknown, path: Array<string | number>, seen: Set<unknown>): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return
    seen.add(value)
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index], seen))
      return
    }
    for (const key of Object.keys(value)) {
      if (INHERITED.has(key)) found.push([...path, key])
      visit((value as Record<string, unknown>)[key], [...path, key], seen)
    }
  }
  visit(data, [], new Set())
  return found
}
