import type { Point, Position, VFile } from '@masthead/core'
import { VFile as VFileClass, addError, list, pointAt } from '@masthead/core'
import type { Origin } from './build-context.js'
import { exceptionPlace, exceptionReason } from './compile-template.js'
import { UnknownFieldError } from './strict-context.js'
import { HelperError } from './wrap-helper.js'

const SOURCE = 'masthead:layout'

/** What {@link reportTemplateError} needs to know besides the error. */
export interface TemplateErrorContext {
  /** The template at fault; its `value` is the source. */
  file: VFile
  /** Where the objects of the context came from (by the label in a strict-mode message). */
  origins: ReadonlyMap<string, Origin>
  /** The issue file, for `cause`. */
  issuePath: string
  /** The section being rendered, when known: the fallback `cause`. */
  section?: Origin
  helpers: readonly string[]
  partials: readonly string[]
}

/** The first `{{…name…}}` in `source`, as a place (for errors Handlebars gives no position). */
function locateName(source: string, name: string): Point | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = new RegExp(`\\{\\{[^}]*?(?<![\\w-])(${escaped})(?![\\w-])`, 'u')
  const match = pattern.exec(source)
  if (!match) return undefined
  return pointAt(source, match.index + match[0].length - match[1]!.length)
}

function causeAt(issuePath: string, origin: Origin | undefined): Error | undefined {
  if (!origin?.position) return undefined
  return new VFileClass({ path: issuePath }).message(`Rendering ${origin.label}`, {
    place: origin.position as Position,
    ruleId: 'template-cause',
    source: SOURCE
  })
}

/**
 * Turn an error thrown while a template ran into a message on the template's file, at the
 * line and column of the expression when Handlebars knows it (or the first use of the
 * missing name when it does not), with a `cause` at the issue position that fed it.
 */
export function reportTemplateError(error: unknown, context: TemplateErrorContext): void {
  const source = String(context.file.value)
  let place: Point | undefined = exceptionPlace(error)
  let reason: string
  let ruleId = 'template-runtime'
  let origin = context.section
  let expected: string[] | undefined

  // A path through a value that is not there (`{{constructor.constructor.name}}`: prototype
  // properties read as nothing) fails in Handlebars' own lookup with a TypeError.
  const throughNothing = /^Cannot read properties of (?:undefined|null) \(reading '(.+)'\)$/.exec(exceptionReason(error))
  const strict =
    /^"(.+)" not defined in (.+)$/s.exec(exceptionReason(error)) ?? (throughNothing ? ['', throughNothing[1]!, 'undefined'] : null)
  const helper = /^Missing helper: "(.+)"$|unknown helper (\S+)$/.exec(exceptionReason(error))
  const partial = /^The partial (.+) could not be found$/.exec(exceptionReason(error))
  if (error instanceof UnknownFieldError || strict) {
    const field = error instanceof UnknownFieldError ? error.field : strict![1]!
    const owner = error instanceof UnknownFieldError ? error.owner : strict![2]!
    origin = context.origins.get(owner) ?? origin
    expected = error instanceof UnknownFieldError ? [...error.keys] : undefined
    reason =
      owner === 'undefined'
        ? `Unexpected unknown field \`${field}\` of a value that is not defined, expected a field of the context (prototype properties such as \`constructor\` and \`__proto__\` are not readable)`
        : `Unexpected unknown field \`${field}\` in ${owner}${expected ? `, expected one of ${list(expected)}` : ''}`
    ruleId = 'template-strict'
    place ??= locateName(source, field)
  } else if (helper) {
    const name = helper[1] ?? helper[2]!
    expected = [...context.helpers]
    reason = `Unexpected unknown helper \`${name}\`, expected one of ${list(expected)}`
    ruleId = 'template-helper'
    place ??= locateName(source, name)
  } else if (partial) {
    const name = partial[1]!
    expected = [...context.partials]
    reason = `Unexpected unknown partial \`${name}\`, expected one of ${list(expected)} (files in \`templates/partials/\`)`
    ruleId = 'template-partial'
    place ??= locateName(source, name)
  } else if (error instanceof HelperError) {
    reason = `Cannot run helper \`${error.helper}\`: ${error.message}`
    ruleId = 'template-helper-failed'
  } else {
    reason = `Cannot render template: ${exceptionReason(error)}`
  }

  const cause = causeAt(context.issuePath, origin)
  addError(context.file, reason, {
    ruleId,
    source: SOURCE,
    place,
    ...(cause ? { cause } : error instanceof Error ? { cause: error } : {}),
    ...(expected ? { expected } : {})
  })
}
