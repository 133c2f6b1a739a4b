import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'
import type { LocatedTargets } from './locate-targets.js'
import type { TocTarget } from './read-toc.js'

/**
 * Compare what the table of contents shows with where its targets are in the
 * last print: a missing target, a page neither method found, a number that
 * differs from the target's page.
 *
 * @param targets The targets read from the document.
 * @param located Where they are in the last print.
 * @param printed What each `.toc-page` span shows, by target id.
 */
export function verifyToc(targets: readonly TocTarget[], located: LocatedTargets, printed: Record<string, string>): PdfDiagnostic[] {
  const diagnostics: PdfDiagnostic[] = []
  for (const target of targets) {
    const place = { line: target.line, column: target.column }
    if (!target.exists) {
      diagnostics.push(
        pdfDiagnostic(
          'toc-target-missing',
          `Unexpected table-of-contents entry for \`#${target.id}\`, expected an element with that id`,
          place
        )
      )
      continue
    }
    const page = located.pages[target.id]
    if (page === undefined) {
      diagnostics.push(
        pdfDiagnostic(
          'toc-page-unknown',
          `Cannot find the page of \`#${target.id}\` in the PDF (no named destination or bookmark), so its table-of-contents entry is empty`,
          { ...place, severity: 'warning' }
        )
      )
      continue
    }
    const shown = printed[target.id] ?? ''
    if (shown !== String(page)) {
      diagnostics.push(
        pdfDiagnostic(
          'toc-page-mismatch',
          `Unexpected page \`${shown}\` in the table of contents for \`#${target.id}\`, expected \`${page}\`: the numbers kept moving the text`,
          { ...place, page }
        )
      )
    }
  }
  return diagnostics
}
