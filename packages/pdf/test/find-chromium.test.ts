import { describe, expect, it } from 'vitest'
import { findChromium } from '../src/find-chromium.js'

const nothing = (): boolean => false

describe('findChromium', () => {
  it('prefers MASTHEAD_CHROMIUM, then CHROMIUM_PATH, then PUPPETEER_EXECUTABLE_PATH', () => {
    const exists = (): boolean => true
    expect(findChromium({ MASTHEAD_CHROMIUM: '/a', CHROMIUM_PATH: '/b', PUPPETEER_EXECUTABLE_PATH: '/c' }, { exists })).toBe('/a')
    expect(findChromium({ CHROMIUM_PATH: '/b', PUPPETEER_EXECUTABLE_PATH: '/c' }, { exists })).toBe('/b')
    expect(findChromium({ PUPPETEER_EXECUTABLE_PATH: '/c' }, { exists })).toBe('/c')
  })

  it('falls back to the usual install paths, in order', () => {
    const exists = (file: string): boolean => file === '/usr/lib/chromium/chromium' || file === '/usr/bin/google-chrome'
    expect(findChromium({}, { exists })).toBe('/usr/lib/chromium/chromium')
  })

  it('says what to install when nothing is found', () => {
    expect(() => findChromium({}, { exists: nothing })).toThrowError(
      /Cannot find Chromium.*`sudo apt-get install -y chromium` on Debian\/Ubuntu.*`MASTHEAD_CHROMIUM`.*`CHROMIUM_PATH`.*`PUPPETEER_EXECUTABLE_PATH`/
    )
  })

  it('names the variable that points nowhere', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/opt/none/chrome' }, { exists: nothing })).toThrowError(
      'Unexpected `CHROMIUM_PATH=/opt/none/chrome`: no file there'
    )
  })

  it('ignores empty variables', () => {
    const exists = (file: string): boolean => file === '/x'
    expect(findChromium({ MASTHEAD_CHROMIUM: '' }, { exists, paths: ['/x'] })).toBe('/x')
  })
})
