import type { VFile } from '@masthead/core'
import { addError, info, warn } from '@masthead/core'

/** A finding of a lower-level step (pdf preflight, request policy) as plain data. */
export interface Finding {
  ruleId: string
  reason: string
  severity: 'error' | 'warning' | 'info'
  source: string
  line?: number | undefined
  column?: number | undefined
  /** Text at fault: pointed at exactly when it occurs in the source at or after `line`. */
  text?: string | undefined
}

/**
 * Put findings on the VFile, at the Markdown position the rendered element came
 * from when known (so a preflight finding reads `issue.md:42:1`).
 */
export function addFindings(file: VFile, findings: readonly Finding[]): void {
  for (const finding of findings) {
    const place = finding.line ? refine(String(file.value), finding.line, finding.column ?? 1, finding.text) : undefined
    const options = { ruleId: finding.ruleId, source: finding.source, ...(place ? { place } : {}) }
    if (finding.severity === 'error') addError(file, finding.reason, options)
    else if (finding.severity === 'info') info(file, finding.reason, options)
    else warn(file, finding.reason, options)
  }
}

/** Where `text` first occurs in `source` from the start of `line` on; the element's own place when it does not. */
function refine(source: string, line: number, column: number, text: string | undefined): { line: number; column: number } {
  if (!text) return { line, column }
  const lines = source.split('\n')
  for (let index = line - 1; index < lines.length; index++) {
    const at = lines[index]!.indexOf(text)
    if (at >= 0) return { line: index + 1, column: at + 1 }
  }
  return { line, column }
}
