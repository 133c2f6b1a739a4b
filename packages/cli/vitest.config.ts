import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    tags: [{ name: 'slow', description: 'Starts `masthead dev` and drives the preview in headless Chromium', timeout: 180_000 }]
  }
})
