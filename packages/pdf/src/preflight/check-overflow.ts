import type { Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'
import type { PrintArea } from './fit-viewport.js'

interface Finding {
  kind: 'content' | 'page'
  tag: string
  text: string
  by: number
  line?: number
  column?: number
}

/**
 * Find content that overflows: a box whose content is wider or taller than
 * the box (`scrollWidth > clientWidth`; innermost such box only), and a box
 * that reaches outside the page's content area (outermost such box only).
 * Elements inside `[data-allow-overflow]` are skipped (full-bleed art).
 *
 * @param page The page, laid out at the print width ({@link fitViewport}).
 * @param area The print area.
 */
export async function checkOverflow(page: Page, area: PrintArea): Promise<PdfDiagnostic[]> {
  const findings = await page.evaluate((width) => {
    const placeOf = window.__mastheadPlace
    const skip = (element: Element): boolean => element.closest('[data-allow-overflow], head, script, style, template') !== null
    const describe = (element: Element): { tag: string; text: string } => ({
      tag:
        element.tagName.toLowerCase() +
        (element.id ? `#${element.id}` : element.classList.length > 0 ? `.${[...element.classList].join('.')}` : ''),
      text: (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40)
    })
    const all = [...document.body.querySelectorAll('*')].filter((element) => !skip(element))
    const spills = new Set<Element>()
    const outside = new Set<Element>()
    for (const element of all) {
      const style = getComputedStyle(element)
      if (style.display === 'none' || style.display === 'contents' || style.position === 'fixed') continue
      const html = element as HTMLElement
      if (
        html.clientWidth > 0 &&
        (html.scrollWidth > html.clientWidth + 1 || (style.overflowY !== 'visible' && html.scrollHeight > html.clientHeight + 1))
      ) {
        spills.add(element)
      }
      const rect = element.getBoundingClientRect()
      if (rect.width > 0 && (rect.right > width + 1 || rect.left < -1)) outside.add(element)
    }
    const findings: Finding[] = []
    for (const element of spills) {
      if ([...spills].some((other) => other !== element && element.contains(other))) continue
      const html = element as HTMLElement
      findings.push({
        kind: 'content',
        ...describe(element),
        by: Math.max(html.scrollWidth - html.clientWidth, html.scrollHeight - html.clientHeight),
        ...placeOf(element)
      })
    }
    for (const element of outside) {
      if (element.parentElement && outside.has(element.parentElement)) continue
      const rect = element.getBoundingClientRect()
      findings.push({ kind: 'page', ...describe(element), by: Math.max(rect.right - width, -rect.left), ...placeOf(element) })
    }
    return findings
  }, area.width)
  return findings.map((finding) => {
    const where = `\`<${finding.tag}>\`${finding.text ? ` (“${finding.text}”)` : ''}`
    const mm = ((finding.by * 25.4) / 96).toFixed(1)
    return finding.kind === 'content'
      ? pdfDiagnostic('content-overflow', `Unexpected content overflowing ${where} by ${mm} mm, expected it to fit its box`, {
          line: finding.line,
          column: finding.column,
          severity: 'warning'
        })
      : pdfDiagnostic('page-overflow', `Unexpected ${where} reaching ${mm} mm outside the page's text area, expected it to fit the page`, {
          line: finding.line,
          column: finding.column
        })
  })
}
