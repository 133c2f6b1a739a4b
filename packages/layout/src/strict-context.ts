/** Thrown when a template reads a key that its context object does not have. */
export class UnknownFieldError extends Error {
  readonly field: string
  readonly owner: string
  readonly keys: readonly string[]

  constructor(field: string, owner: string, keys: readonly string[]) {
    super(`"${field}" not defined in ${owner}`)
    this.field = field
    this.owner = owner
    this.keys = keys
    this.name = 'UnknownFieldError'
  }
}

/** Keys Handlebars and Node probe on values without expecting them to exist. */
const probed = new Set(['toHTML', 'toJSON', 'then', 'length', 'constructor', '__proto__', 'nodeType', 'asymmetricMatch', '$$typeof'])

/**
 * Wrap a context object so that reading a key it does not have throws. Handlebars' strict
 * mode checks `{{field}}` but not helper arguments (`{{#if fields.dke}}` is silently false);
 * this catches those typos too.
 *
 * @param owner How messages name the object: ``item `s1-i2` ``.
 */
export function strictContext<T extends object>(object: T, owner: string): T {
  return new Proxy(object, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && !probed.has(key)) {
        throw new UnknownFieldError(key, owner, Object.keys(target))
      }
      return Reflect.get(target, key, receiver) as unknown
    }
  })
}
