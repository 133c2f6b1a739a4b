import { isLabelKey, labels } from '../labels.js'
import { helperLang, splitArgs } from './helper-options.js'

/**
 * `{{fieldLabel @key}}`: the printed label of a field with its colon (`来源：`, `Source: `)
 * when `labels.ts` has one, else the field's name as the manifest writes it (`funding: `),
 * for templates that list every field of a section type (the generic text template).
 */
export function fieldLabel(...args: unknown[]): string {
  const { params, options } = splitArgs(args)
  const name = String(params[0])
  const lang = helperLang(options)
  return (isLabelKey(name) ? labels[lang][name] : name) + labels[lang].colon
}
