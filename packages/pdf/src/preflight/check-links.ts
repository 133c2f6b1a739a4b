import type { Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'

/**
 * Find links that would point into the build machine: an `href` that the print document
 * resolves to a `file:` URL (a relative link in a template, or one written as `file:`). In
 * the PDF it would be a broken link for every reader, naming a local folder.
 *
 * @param page The loaded page.
 */
export async function checkFileLinks(page: Page): Promise<PdfDiagnostic[]> {
  const local = await page.evaluate(() => {
    const placeOf = window.__mastheadPlace
    return [...document.querySelectorAll('a[href]')].flatMap((link) => {
      // `#id` links stay inside the document (the PDF makes them internal links).
      if ((link.getAttribute('href') ?? '').trim().startsWith('#')) return []
      const href = (link as HTMLAnchorElement).href
      if (!href.startsWith('file:')) return []
      return [
        { href: link.getAttribute('href') ?? '', text: (link.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40), ...placeOf(link) }
      ]
    })
  })
  return local.map((link) =>
    pdfDiagnostic(
      'file-link',
      `Unexpected link \`${link.href}\`${link.text ? ` (“${link.text}”)` : ''} that resolves to a \`file:\` URL on this machine, expected an absolute web address (\`https://…\`)`,
      {
        line: link.line,
        column: link.column
      }
    )
  )
}

/**
 * Find internal links (`a[href^="#"]`) whose target id (or `a[name]`) is not in the document.
 *
 * @param page The loaded page.
 */
export async function checkLinks(page: Page): Promise<PdfDiagnostic[]> {
  const broken = await page.evaluate(() => {
    const placeOf = window.__mastheadPlace
    return [...document.querySelectorAll('a[href^="#"]')].flatMap((link) => {
      const raw = (link.getAttribute('href') ?? '').slice(1)
      if (raw === '' || raw === 'top') return []
      // Table-of-contents entries are checked (and reported) by the TOC pass.
      if (link.matches('.toc-entry') && link.querySelector('.toc-page[data-toc-target]')) return []
      let id = raw
      try {
        id = decodeURIComponent(raw)
      } catch {
        // keep the raw fragment
      }
      if (document.getElementById(id) || document.getElementsByName(id).length > 0) return []
      return [{ id, text: (link.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40), ...placeOf(link) }]
    })
  })
  return broken.map((link) =>
    pdfDiagnostic(
      'broken-link',
      `Unexpected link to \`#${link.id}\`${link.text ? ` (“${link.text}”)` : ''}, expected an element with that id`,
      {
        line: link.line,
        column: link.column,
        severity: 'warning'
      }
    )
  )
}
