import { describe, expect, it } from 'vitest'
import { isPaperSize, loadConfig, pageGeometry, parsePaper } from '../src/index.js'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

describe('parsePaper', () => {
  it('knows named sizes in any case, portrait and landscape', () => {
    expect(parsePaper('A4')).toEqual({ width: 210, height: 297 })
    expect(parsePaper('a5 Landscape')).toEqual({ width: 210, height: 148 })
    expect(parsePaper('letter portrait')).toEqual({ width: 215.9, height: 279.4 })
    expect(parsePaper('JIS-B5')).toEqual({ width: 182, height: 257 })
  })
  it('takes a width and a height in CSS units', () => {
    expect(parsePaper('170mm 240mm')).toEqual({ width: 170, height: 240 })
    expect(parsePaper('6in 9in')).toEqual({ width: 152.4, height: 228.6 })
  })
  it('refuses anything else', () => {
    for (const bad of ['huge', 'A4 sideways', 'A4 landscape portrait', '170mm', '0mm 240mm', '170 240', 'Tabloid-ish'])
      expect(parsePaper(bad), bad).toBeUndefined()
  })
})

describe('pageGeometry', () => {
  it('knows A4 and Letter, portrait and landscape', () => {
    expect(pageGeometry()).toEqual({ paper: 'A4', width: '210mm', height: '297mm', sheet: '210mm 297mm', bleed: false, bleedWidth: '0mm' })
    expect(pageGeometry('Letter')).toMatchObject({ width: '215.9mm', height: '279.4mm' })
    expect(pageGeometry('a4 landscape')).toMatchObject({ width: '297mm', height: '210mm' })
  })
  it('adds 3 mm of bleed on every side', () => {
    expect(pageGeometry('A4', true)).toEqual({
      paper: 'A4',
      width: '210mm',
      height: '297mm',
      sheet: '216mm 303mm',
      bleed: true,
      bleedWidth: '3mm'
    })
  })
  it('throws a TypeError naming what it accepts', () => {
    expect(() => pageGeometry('huge')).toThrow(/Unexpected paper `huge`, expected a paper size \(`A4`/)
    expect(() => pageGeometry('A4 sideways')).toThrow(TypeError)
  })
})

describe('isPaperSize', () => {
  it('recognises a page printed at a paper size, either way round, and not one with bleed', () => {
    expect(isPaperSize(595.28, 841.89)).toBe(true)
    expect(isPaperSize(841.89, 595.28)).toBe(true)
    expect(isPaperSize(612, 792)).toBe(true)
    expect(isPaperSize(612.28, 858.9)).toBe(false)
  })
})

describe('the config takes what the command line takes', () => {
  it('accepts `A4 landscape` and a custom size, and places a bad one', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'masthead-paper-'))
    await writeFile(path.join(root, 'masthead.config.json'), '{ "print": { "paper": "A4 landscape", "pressReady": true } }\n')
    expect((await loadConfig(root)).config).toEqual({ print: { paper: 'A4 landscape', pressReady: true } })
    await writeFile(path.join(root, 'masthead.config.json'), '{\n  "print": { "paper": "A9" }\n}\n')
    const { config, file } = await loadConfig(root)
    expect(config).toBeUndefined()
    expect(file.messages.map((m) => `${m.line}:${m.column} ${m.reason}`)).toEqual([
      '2:23 Unexpected `print.paper` value "A9", expected a paper size (`A4`, `A5`, `Letter` …), optionally `landscape` (`A4 landscape`), or a width and height such as `170mm 240mm`'
    ])
  })
})
