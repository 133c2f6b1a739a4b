import { and } from './and.js'
import { cssIdent } from './css-ident.js'
import { cssString } from './css-string.js'
import { displayUrl } from './display-url.js'
import { eq } from './eq.js'
import { fieldLabel } from './field-label.js'
import { formatDate } from './format-date.js'
import { groupByYear } from './group-by-year.js'
import { label } from './label.js'
import { longerThan } from './longer-than.js'
import { join } from './join.js'
import { not } from './not.js'
import { number } from './number.js'
import { or } from './or.js'
import { pad } from './pad.js'
import { qr } from './qr.js'
import { split } from './split.js'
import { wordBreaks } from './word-breaks.js'
import { textOf } from './text-of.js'

/** A Handlebars helper: parameters, then Handlebars' options object. */
export type Helper = (...args: unknown[]) => unknown

/** Every helper the templates can call, registered by these names. */
export const helpers = {
  and,
  cssIdent,
  cssString,
  displayUrl,
  eq,
  fieldLabel,
  formatDate,
  groupByYear,
  join,
  label,
  longerThan,
  not,
  number,
  or,
  pad,
  qr,
  split,
  wordBreaks,
  textOf
} satisfies Record<string, Helper>
