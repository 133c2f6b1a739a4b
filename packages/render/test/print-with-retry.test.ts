import type { PdfBrowser, RenderPdfInput, RenderPdfResult } from '@masthead/pdf'
import { describe, expect, it } from 'vitest'
import type { BrowserSlot } from '../src/print-with-retry.js'
import { printWithRetry } from '../src/print-with-retry.js'

const input = { html: '<p>x</p>', baseDir: '/tmp', allowedRoots: [], metadata: { title: 'Notes 3' } } as unknown as RenderPdfInput
const printed = { pdf: new Uint8Array([37]), pageCount: 1 } as unknown as RenderPdfResult

/** A slot whose browsers fail or print in turn, and which records what it did. */
function fakeSlot(attempts: Array<Error | 'ok'>, closing = false) {
  const log: string[] = []
  let current: Promise<PdfBrowser> | undefined
  let launched = 0
  const slot: BrowserSlot = {
    get() {
      current ??= (async () => {
        const index = launched++
        log.push(`launch ${index}`)
        const browser = {
          renderPdf: async () => {
            const outcome = attempts.shift()
            log.push(`render on ${index}: ${outcome instanceof Error ? outcome.message : 'ok'}`)
            if (outcome instanceof Error) throw outcome
            return printed
          },
          close: async () => void log.push(`close ${index}`)
        } as unknown as PdfBrowser
        return browser
      })()
      return current
    },
    async drop(failed) {
      if (current === failed) current = undefined
      await (await failed).close()
    },
    closing: () => closing
  }
  return { slot, log }
}

describe('printWithRetry', () => {
  it('prints on the first browser when it can', async () => {
    const { slot, log } = fakeSlot(['ok'])
    expect(await printWithRetry(slot, input)).toEqual({ result: printed })
    expect(log).toEqual(['launch 0', 'render on 0: ok'])
  })

  it('throws a crashed browser away and prints on a fresh one', async () => {
    const crash = new Error('Chromium exited while printing `Notes 3` (it crashed or was killed)')
    const { slot, log } = fakeSlot([crash, 'ok'])
    expect(await printWithRetry(slot, input)).toEqual({ result: printed, retried: crash })
    expect(log).toEqual([
      'launch 0',
      'render on 0: Chromium exited while printing `Notes 3` (it crashed or was killed)',
      'close 0',
      'launch 1',
      'render on 1: ok'
    ])
  })

  it('gives up after the second failure with both reasons, closing both browsers', async () => {
    const { slot, log } = fakeSlot([
      new Error('Rendering `Notes 3` took longer than 1000 ms'),
      new Error('Rendering `Notes 3` took longer than 1000 ms')
    ])
    await expect(printWithRetry(slot, input)).rejects.toThrowError(
      'Cannot print `Notes 3`, not even on a fresh browser: Rendering `Notes 3` took longer than 1000 ms (the first attempt failed the same way)'
    )
    expect(log.filter((line) => line.startsWith('close') || line.startsWith('launch'))).toEqual([
      'launch 0',
      'close 0',
      'launch 1',
      'close 1'
    ])
  })

  it('names both failures when they differ', async () => {
    const { slot } = fakeSlot([
      new Error('Chromium exited while printing `Notes 3` (it crashed or was killed)'),
      new Error('Target closed')
    ])
    await expect(printWithRetry(slot, input)).rejects.toThrowError(
      'Cannot print `Notes 3`, not even on a fresh browser: Target closed (first attempt: Chromium exited while printing `Notes 3` (it crashed or was killed))'
    )
  })

  it('does not retry a malformed call, nor while its owner is closing', async () => {
    await expect(printWithRetry(fakeSlot([new TypeError('Unexpected `renderPdf` input')]).slot, input)).rejects.toThrowError(TypeError)
    const { slot, log } = fakeSlot([new Error('Target closed')], true)
    await expect(printWithRetry(slot, input)).rejects.toThrowError('Cannot print `Notes 3`: the build was stopped')
    expect(log).toEqual(['launch 0', 'render on 0: Target closed', 'close 0'])
  })
})
