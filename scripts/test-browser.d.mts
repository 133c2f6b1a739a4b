import type { Browser } from 'puppeteer-core'

export declare const TEST_CHROMIUM: string
export declare const TEST_CHROMIUM_ARGS: string[]
export interface TestBrowser {
  browser: Browser
  dir: string
  close(): Promise<void>
}
export declare function launchTestBrowser(prefix: string): Promise<TestBrowser>
