import { isLabelKey, labels } from '../labels.js'
import { helperLang, splitArgs } from './helper-options.js'
import { list } from '@masthead/core'

/**
 * `{{label "source"}}` → `来源` or `Source`, in the document's language (or `lang=`).
 * Labels live in `labels.ts`; an unknown key is an error that lists the known ones.
 */
export function label(...args: unknown[]): string {
  const { params, options } = splitArgs(args)
  const key = String(params[0])
  if (!isLabelKey(key)) {
    throw new TypeError(`Unexpected unknown label \`${key}\`, expected one of ${list(Object.keys(labels.en))}`)
  }
  return labels[helperLang(options)][key]
}
