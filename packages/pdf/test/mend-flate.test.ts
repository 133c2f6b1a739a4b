import { deflateSync, inflateSync } from 'node:zlib'
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { mendFlateStreams } from '../src/press/mend-flate.js'

const CONTENT = Buffer.from('q 0 0 0 1 k 10 10 100 100 re f Q\n'.repeat(200))

describe('mendFlateStreams', () => {
  it('re-compresses a Flate stream cut before its end marker, keeping every byte of its data', async () => {
    const doc = await PDFDocument.create()
    const whole = deflateSync(CONTENT)
    const cut = new Uint8Array(whole.subarray(0, whole.length - 6))
    expect(() => inflateSync(cut)).toThrow()
    const dict = doc.context.obj({ Filter: 'FlateDecode' })
    const cutRef = doc.context.register(PDFRawStream.of(dict, cut))
    const fineRef = doc.context.register(PDFRawStream.of(doc.context.obj({ Filter: 'FlateDecode' }), new Uint8Array(whole)))

    expect(mendFlateStreams(doc)).toBe(1)

    const reloaded = await PDFDocument.load(await doc.save({ useObjectStreams: false }))
    const mended = reloaded.context.lookup(cutRef) as PDFRawStream
    const fine = reloaded.context.lookup(fineRef) as PDFRawStream
    expect(mended.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('FlateDecode'))
    // What zlib could read of the cut stream, now whole: a prefix of the content, nearly all of it.
    const data = inflateSync(mended.contents)
    expect(CONTENT.subarray(0, data.length).equals(data)).toBe(true)
    expect(data.length).toBeGreaterThan(CONTENT.length * 0.9)
    expect(Buffer.from(inflateSync(fine.contents)).equals(CONTENT)).toBe(true)
  })
})
