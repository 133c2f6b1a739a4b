import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // One Chromium at a time: the machine is shared.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    tags: [{ name: 'slow', description: 'Launches headless Chromium to look at the web edition', timeout: 180_000 }]
  }
})
