import { describe, expect, it } from 'vitest'
import { createProgress } from '../src/progress.js'
import { captureIo as io } from './capture-io.js'

/** What the terminal's live line says now: the text after the last line clear. */
const liveLine = (text: string): string => text.split('\r\u001B[2K').at(-1) ?? ''

describe('build progress', () => {
  it('takes a finished issue off the live line by its exact name, not one whose name it contains', () => {
    const { io: tty, text } = io(true)
    const progress = createProgress(tty, false)
    progress.start('2021')
    progress.start('2021-05')
    expect(liveLine(text())).toMatch(/^. building 2021, 2021-05 · \d+\.\d s$/)
    progress.done('✓ 2021-05 (3120 ms)\n    dist/2021-05/print.pdf', '2021-05')
    expect(text()).toContain('✓ 2021-05 (3120 ms)\n    dist/2021-05/print.pdf\n')
    expect(liveLine(text())).toMatch(/^. building 2021 · \d+\.\d s$/)
    // A line of no issue (the archive) takes none off.
    progress.start('2021-05')
    progress.done('✓ archive (2 issues)')
    expect(liveLine(text())).toMatch(/^. building 2021, 2021-05 · /)
    progress.done('✓ 2021 (4000 ms)', '2021')
    expect(liveLine(text())).toMatch(/^. building 2021-05 · /)
    progress.done('· 2021-05 unchanged, not rebuilt (--force rebuilds it)', '2021-05')
    progress.stop()
    expect(liveLine(text())).toBe('')
  })

  it('prints one plain line per event when not on a terminal', () => {
    const { io: plain, text } = io(false)
    const progress = createProgress(plain, false)
    progress.start('2021')
    progress.start('2021-05')
    progress.done('✓ 2021-05 (3120 ms)', '2021-05')
    progress.done('✓ 2021 (4000 ms)', '2021')
    progress.stop()
    expect(text()).toBe('… building 2021\n… building 2021-05\n✓ 2021-05 (3120 ms)\n✓ 2021 (4000 ms)\n')
  })
})
