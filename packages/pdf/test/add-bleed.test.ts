import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { addBleed } from '../src/add-bleed.js'

const mm = (value: number): number => (value * 72) / 25.4

describe('addBleed', () => {
  it('takes a trim + bleed page as the bleed box and grows the sheet for crop marks', async () => {
    const doc = await PDFDocument.create()
    const page = doc.addPage([mm(216), mm(303)])
    expect(addBleed(doc)).toEqual({ ignored: [] })
    const trim = page.getTrimBox()
    const bleed = page.getBleedBox()
    const media = page.getMediaBox()
    expect(trim.width).toBeCloseTo(mm(210), 3)
    expect(trim.height).toBeCloseTo(mm(297), 3)
    expect(bleed).toEqual({ x: 0, y: 0, width: mm(216), height: mm(303) })
    expect(trim.x).toBeCloseTo(mm(3), 5)
    expect(media.x).toBeLessThan(bleed.x - mm(6))
    expect(page.getCropBox()).toEqual(media)
  })

  it('treats a paper-size page as the trim (the layout ignored --bleed)', async () => {
    const doc = await PDFDocument.create()
    const page = doc.addPage([595.28, 841.89])
    expect(addBleed(doc)).toEqual({ ignored: [1] })
    expect(page.getTrimBox()).toEqual({ x: 0, y: 0, width: 595.28, height: 841.89 })
    expect(page.getBleedBox().x).toBeCloseTo(-mm(3), 5)
  })
})
