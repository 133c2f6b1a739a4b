import type { PDFDocument } from 'pdf-lib'
import { namedDestinations } from './named-destinations.js'
import { pdfOutline } from './pdf-outline.js'
import type { TocTarget } from './read-toc.js'

/** Where each target landed, and how that was found. */
export interface LocatedTargets {
  pages: Record<string, number>
  /** Ids found through a bookmark title rather than a named destination. */
  viaOutline: string[]
  /** Ids that neither method found. */
  unknown: string[]
}

const norm = (text: string): string => text.replace(/\s+/g, ' ').trim()

/**
 * Find the page of each target in a printed PDF. First the named destination
 * Chromium writes for every link target (`/Dests`, exact: keyed by id); then,
 * for a heading that no link targets, the n-th bookmark with the heading's
 * text; otherwise unknown (no guessing from screen geometry).
 *
 * @param doc The printed PDF.
 * @param targets The targets read from the document.
 */
export function locateTargets(doc: PDFDocument, targets: readonly TocTarget[]): LocatedTargets {
  const named = namedDestinations(doc)
  const result: LocatedTargets = { pages: {}, viaOutline: [], unknown: [] }
  let outline: ReturnType<typeof pdfOutline> | undefined
  for (const target of targets) {
    if (!target.exists) continue
    const page = named.get(target.id)
    if (page !== undefined) {
      result.pages[target.id] = page
      continue
    }
    if (target.heading) {
      outline ??= pdfOutline(doc)
      const match = outline.filter((entry) => norm(entry.title) === target.text)[target.nth]
      if (match?.page !== undefined) {
        result.pages[target.id] = match.page
        result.viaOutline.push(target.id)
        continue
      }
    }
    result.unknown.push(target.id)
  }
  return result
}
