import type { PDFDict } from 'pdf-lib'
import { PDFDocument, PDFHexString, PDFName } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { mendOutline } from '../src/toc/mend-outline.js'
import { pdfOutline } from '../src/toc/pdf-outline.js'

/** A one-page PDF whose bookmarks have these titles, the second nested under the first. */
async function withBookmarks(titles: string[]): Promise<PDFDocument> {
  const doc = await PDFDocument.create()
  doc.addPage()
  const { context } = doc
  const items = titles.map((title) => context.obj({ Title: PDFHexString.fromText(title) }) as PDFDict)
  const refs = items.map((item) => context.register(item))
  const outlines = context.obj({ Type: 'Outlines' }) as PDFDict
  outlines.set(PDFName.of('First'), refs[0]!)
  items[0]!.set(PDFName.of('First'), refs[1]!)
  for (let index = 2; index < items.length; index++) items[index - 1]!.set(PDFName.of('Next'), refs[index]!)
  doc.catalog.set(PDFName.of('Outlines'), context.register(outlines))
  return doc
}

describe('mendOutline', () => {
  it('gives a bookmark written twice over (Chromium, a heading moved overleaf) its title once', async () => {
    const doc = await withBookmarks([
      '开幕致辞',
      '网络成员单位增至四十三家网络成员单位增至四十三家',
      'Bye Bye',
      'A heron that would not moveA heron that would not move'
    ])
    expect(mendOutline(doc)).toEqual(['网络成员单位增至四十三家', 'A heron that would not move'])
    expect(pdfOutline(doc).map((entry) => `${entry.depth} ${entry.title}`)).toEqual([
      '1 开幕致辞',
      '2 网络成员单位增至四十三家',
      '2 Bye Bye',
      '2 A heron that would not move'
    ])
  })

  it('mends a title whose first fragment Chromium wrote twice (a title with <wbr>), to a heading of the document only', async () => {
    const doc = await withBookmarks(['简讯', '网络网络成员单位增至四十三家', '人人参与的街道', 'Bye Bye'])
    expect(mendOutline(doc, ['简讯', '网络成员单位增至四十三家', '人人参与的街道', 'Bye Bye'])).toEqual(['网络成员单位增至四十三家'])
    expect(pdfOutline(doc).map((entry) => entry.title)).toEqual(['简讯', '网络成员单位增至四十三家', '人人参与的街道', 'Bye Bye'])
  })

  it('leaves a repeated start alone when no heading of the document is written so', async () => {
    const doc = await withBookmarks(['人人参与的街道'])
    expect(mendOutline(doc, ['参与的街道'])).toEqual([])
  })

  it('leaves a PDF without bookmarks alone', async () => {
    const doc = await PDFDocument.create()
    doc.addPage()
    expect(mendOutline(doc)).toEqual([])
  })
})
