import { describe, expect, it } from 'vitest'
import { pageGeometry } from '../src/index.js'

describe('pageGeometry', () => {
  it('knows A4 and Letter, portrait and landscape', () => {
    expect(pageGeometry()).toEqual({ paper: 'A4', width: '210mm', height: '297mm', sheet: '210mm 297mm', bleed: false, bleedWidth: '0mm' })
    expect(pageGeometry('Letter')).toMatchObject({ width: '215.9mm', height: '279.4mm' })
    expect(pageGeometry('a4 landscape')).toMatchObject({ width: '297mm', height: '210mm' })
  })
  it('takes a width and a height in CSS units', () => {
    expect(pageGeometry('170mm 240mm')).toMatchObject({ width: '170mm', height: '240mm' })
    expect(pageGeometry('6in 9in')).toMatchObject({ width: '152.4mm', height: '228.6mm' })
  })
  it('adds 3 mm of bleed on every side', () => {
    expect(pageGeometry('A4', true)).toEqual({ paper: 'A4', width: '210mm', height: '297mm', sheet: '216mm 303mm', bleed: true, bleedWidth: '3mm' })
  })
  it('throws a TypeError naming what it accepts', () => {
    expect(() => pageGeometry('huge')).toThrow(/Unexpected paper `huge`, expected `A4`/)
    expect(() => pageGeometry('A4 sideways')).toThrow(TypeError)
  })
})
