// `@masthead/pdf/start`: start Chromium without loading puppeteer (Node built-ins only).
export { startChromium, automationArgs } from './start-chromium.js'
export type { StartChromiumOptions, StartedChromium } from './start-chromium.js'
export { findChromium } from './find-chromium.js'
