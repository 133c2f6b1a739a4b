/** Rule ids of the messages this package reports. */
export type PdfRuleId =
  | 'blocked-request'
  | 'webrtc-blocked'
  | 'request-failed'
  | 'page-error'
  | 'console-error'
  | 'content-overflow'
  | 'page-overflow'
  | 'missing-glyph'
  | 'glyph-not-drawn'
  | 'type3-font'
  | 'synthetic-style'
  | 'low-resolution-image'
  | 'broken-link'
  | 'file-link'
  | 'toc-target-missing'
  | 'toc-page-unknown'
  | 'toc-page-mismatch'
  | 'bleed-ignored'
  | 'sparse-page'
  | 'stranded-heading'
  | 'press-low-resolution-image'
  | 'press-rgb-image'
  | 'hairline'
  | 'safe-zone'

/**
 * One finding, as a plain object. `line`/`column` come from the nearest
 * `data-source-line`/`data-source-column` ancestor of the element at fault, so
 * the caller can put the message on the Markdown file.
 */
export interface PdfDiagnostic {
  ruleId: PdfRuleId
  /** "Unexpected X, expected Y", with values in backticks. */
  reason: string
  /** `info` is a note (the press preflight's), never a failure. */
  severity: 'error' | 'warning' | 'info'
  source: 'masthead:pdf'
  line?: number
  column?: number
  /** The URL at fault (requests, images). */
  url?: string
  /** The 1-based PDF page, when known. */
  page?: number
  /** Text at fault (e.g. characters without a glyph): the caller may look for it from `line` on to point at it exactly. */
  text?: string
}

/** Where an element came from, as found in the page. */
export interface SourcePlace {
  line?: number | undefined
  column?: number | undefined
}

/**
 * Make a diagnostic, copying only the fields that are set (exactOptionalPropertyTypes).
 *
 * @param ruleId The rule.
 * @param reason The message.
 * @param extra Severity (default `error`), place, url, page.
 */
export function pdfDiagnostic(
  ruleId: PdfRuleId,
  reason: string,
  extra: SourcePlace & {
    severity?: 'error' | 'warning' | 'info'
    url?: string | undefined
    page?: number | undefined
    text?: string | undefined
  } = {}
): PdfDiagnostic {
  const diagnostic: PdfDiagnostic = { ruleId, reason, severity: extra.severity ?? 'error', source: 'masthead:pdf' }
  if (extra.line !== undefined) diagnostic.line = extra.line
  if (extra.column !== undefined) diagnostic.column = extra.column
  if (extra.url !== undefined) diagnostic.url = extra.url
  if (extra.page !== undefined) diagnostic.page = extra.page
  if (extra.text !== undefined) diagnostic.text = extra.text
  return diagnostic
}
