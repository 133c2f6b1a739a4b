import { defineConfig } from 'vitest/config'
import { sharedTest } from '../../scripts/vitest-shared.mjs'

export default defineConfig({
  test: {
    ...sharedTest(),
    // One Chromium at a time: the machine is shared.
    fileParallelism: false,
    testTimeout: 10_000,
    hookTimeout: 60_000,
    tags: [{ name: 'slow', description: 'Launches Chromium and reads real PDFs back with poppler', timeout: 120_000 }]
  }
})
