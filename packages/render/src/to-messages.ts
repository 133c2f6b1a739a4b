import type { VFile } from '@masthead/core'
import { fail, info, warn } from '@masthead/core'

/** A finding of a lower-level step (pdf preflight, request policy) as plain data. */
export interface Finding {
  ruleId: string
  reason: string
  severity: 'error' | 'warning' | 'info'
  source: string
  line?: number | undefined
  column?: number | undefined
}

/**
 * Put findings on the VFile, at the Markdown position the rendered element came
 * from when known (so a preflight finding reads `issue.md:42:1`).
 */
export function addFindings(file: VFile, findings: readonly Finding[]): void {
  for (const finding of findings) {
    const place = finding.line ? { line: finding.line, column: finding.column ?? 1 } : undefined
    const options = { ruleId: finding.ruleId, source: finding.source, ...(place ? { place } : {}) }
    if (finding.severity === 'error') fail(file, finding.reason, options)
    else if (finding.severity === 'info') info(file, finding.reason, options)
    else warn(file, finding.reason, options)
  }
}
