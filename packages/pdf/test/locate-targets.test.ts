import { PDFDocument, PDFHexString, PDFName, type PDFRef } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { locateTargets } from '../src/toc/locate-targets.js'
import { namedDestinations } from '../src/toc/named-destinations.js'
import { pdfOutline } from '../src/toc/pdf-outline.js'
import type { TocTarget } from '../src/toc/read-toc.js'

/** A four-page PDF with `/Dests` (Chromium's form), a `/Names` tree, and an outline. */
async function sample(): Promise<PDFDocument> {
  const doc = await PDFDocument.create()
  const pages = [1, 2, 3, 4].map(() => doc.addPage([595.28, 841.89]))
  const ref = (index: number): PDFRef => pages[index]!.ref
  const { context } = doc
  doc.catalog.set(PDFName.of('Dests'), context.obj({ news: [ref(1), 'XYZ', 0, 800, 0] }))
  const tree = context.obj({ Names: [PDFHexString.fromText('milestones'), context.obj({ D: [ref(2), 'Fit'] })] })
  doc.catalog.set(PDFName.of('Names'), context.obj({ Dests: context.register(tree) }))
  const outlineRef = context.nextRef()
  const second = context.obj({ Title: PDFHexString.fromText('观点'), Dest: [ref(3), 'XYZ', 0, 0, 0], Parent: outlineRef })
  const secondRef = context.register(second)
  const first = context.obj({ Title: PDFHexString.fromText('观点'), Dest: [ref(2), 'XYZ', 0, 0, 0], Parent: outlineRef, Next: secondRef })
  const firstRef = context.register(first)
  context.assign(outlineRef, context.obj({ Type: 'Outlines', First: firstRef, Last: secondRef, Count: 2 }))
  doc.catalog.set(PDFName.of('Outlines'), outlineRef)
  return PDFDocument.load(await doc.save())
}

const target = (id: string, extra: Partial<TocTarget> = {}): TocTarget => ({ id, exists: true, text: '', nth: 0, heading: false, ...extra })

describe('locateTargets', () => {
  it('reads named destinations from /Dests and from the /Names tree', async () => {
    expect([...namedDestinations(await sample())]).toEqual([
      ['news', 2],
      ['milestones', 3]
    ])
  })

  it('walks the outline', async () => {
    expect(pdfOutline(await sample())).toEqual([
      { title: '观点', depth: 1, page: 3 },
      { title: '观点', depth: 1, page: 4 }
    ])
  })

  it('prefers named destinations, falls back to the n-th bookmark with the heading text, and never guesses', async () => {
    const located = locateTargets(await sample(), [
      target('news'),
      target('second-view', { heading: true, text: '观点', nth: 1 }),
      target('not-a-heading', { text: '观点' }),
      target('gone', { exists: false })
    ])
    expect(located).toEqual({ pages: { news: 2, 'second-view': 4 }, viaOutline: ['second-view'], unknown: ['not-a-heading'] })
  })
})
