import { defineConfig } from 'vitest/config'
import { sharedTest } from '../../scripts/vitest-shared.mjs'

export default defineConfig({
  test: {
    ...sharedTest(),
    // Builds launch Chromium and print PDFs: seconds each on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    tags: [
      {
        name: 'slow',
        description: 'Launches Chromium: `masthead dev` driven in a headless browser, and the hostile print and browser cases',
        timeout: 180_000
      }
    ]
  }
})
