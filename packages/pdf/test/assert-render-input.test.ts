import { describe, expect, it } from 'vitest'
import { assertRenderInput } from '../src/assert-render-input.js'

const good = {
  html: '<p>x</p>',
  baseDir: '/tmp',
  allowedRoots: [],
  metadata: { title: 't', author: 'a', subject: 's', keywords: ['k'], lang: 'zh-CN' }
}

describe('assertRenderInput', () => {
  it('accepts a complete call', () => {
    expect(() => assertRenderInput(good)).not.toThrow()
    expect(() =>
      assertRenderInput({ ...good, bleed: true, fresh: true, timeout: 1000, onLoaded: () => undefined, onSaved: () => undefined })
    ).not.toThrow()
  })

  it('says what is missing', () => {
    expect(() => assertRenderInput(undefined)).toThrowError(TypeError)
    expect(() => assertRenderInput({ ...good, html: Buffer.from('x') })).toThrowError(
      'Unexpected `renderPdf` input: expected `html`, the print document, as a string'
    )
    expect(() => assertRenderInput({ ...good, allowedRoots: '/x' })).toThrowError('`allowedRoots` as an array of folder paths')
    expect(() => assertRenderInput({ ...good, metadata: { ...good.metadata, keywords: 'a, b' } })).toThrowError(
      '`metadata.keywords` as an array of strings'
    )
    expect(() => assertRenderInput({ ...good, metadata: { ...good.metadata, lang: undefined } })).toThrowError(
      '`metadata.lang` as a string'
    )
    expect(() => assertRenderInput({ ...good, fresh: 'yes' })).toThrowError('`fresh` as a boolean')
    expect(() => assertRenderInput({ ...good, timeout: 0 })).toThrowError('`timeout` as a positive number')
    expect(() => assertRenderInput({ ...good, onLoaded: 'soon' })).toThrowError('`onLoaded` as a function')
    expect(() => assertRenderInput({ ...good, onSaved: true })).toThrowError('`onSaved` as a function')
  })
})
