import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Builds launch Chromium and print PDFs: seconds each on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    tags: [{ name: 'slow', description: 'Starts `masthead dev` and drives the preview in headless Chromium', timeout: 180_000 }]
  }
})
