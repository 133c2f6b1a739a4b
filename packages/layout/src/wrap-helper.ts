import type { Helper } from './helpers/index.js'

interface Location {
  start?: { line?: number; column?: number }
}

/** An error thrown by a helper, with the place of the helper call in the template. */
export class HelperError extends Error {
  readonly helper: string
  /** 1-based, like Handlebars' own errors. */
  readonly lineNumber: number | undefined
  /** 0-based, like Handlebars' own errors. */
  readonly column: number | undefined

  constructor(helper: string, cause: unknown, location: Location | undefined) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
    this.name = 'HelperError'
    this.helper = helper
    this.lineNumber = location?.start?.line
    this.column = location?.start?.column
  }
}

/**
 * Wrap a helper so that what it throws names the helper and carries the position of the
 * call (`options.loc`, which Handlebars passes to every helper).
 */
export function wrapHelper(name: string, helper: Helper): Helper {
  return function (this: unknown, ...args: unknown[]): unknown {
    try {
      return helper.apply(this, args)
    } catch (error) {
      const options = args.at(-1)
      const location = typeof options === 'object' && options !== null && 'loc' in options ? (options.loc as Location) : undefined
      throw new HelperError(name, error, location)
    }
  }
}
