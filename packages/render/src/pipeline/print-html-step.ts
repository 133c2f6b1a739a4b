import type { Issue } from '@masthead/core'
import { hasErrors } from '@masthead/core'
import type { Layout } from '@masthead/layout'
import type { BuilderOptions, BuilderResult } from '../builder-types.js'
import { keepMessages, since, withBase } from './build-result.js'

/**
 * The print edition's HTML: rendered with the print layout unless `rendered` (an earlier
 * render of the same issue) is given. Puts `print.html` (with a `<base>` back to the issue
 * folder) in the result and the templates' messages in the print edition's files.
 *
 * @returns The HTML as rendered (without `<base>`), or undefined when a template failed.
 */
export function printHtmlStep(
  layout: Layout,
  issue: Issue,
  print: BuilderOptions['print'],
  result: BuilderResult,
  rendered?: string
): string | undefined {
  let html = rendered
  if (html === undefined) {
    const start = performance.now()
    const output = layout.render('print', issue, {
      ...(print?.paper ? { paper: print.paper } : {}),
      ...(print?.bleed === undefined ? {} : { bleed: print.bleed })
    })
    result.timings['print-html'] = since(start)
    keepMessages(result, 'print', output.files)
    if (hasErrors(output.files)) return undefined
    html = output.output
  }
  result.outputs.set('print.html', withBase(html, issue.dir))
  return html
}
