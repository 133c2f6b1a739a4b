import { defineConfig } from 'vitest/config'
import { sharedTest } from '../../scripts/vitest-shared.mjs'

export default defineConfig({
  test: {
    ...sharedTest(),
    // Turbo runs every package's tests at once on 2 cores: a write test that takes 0.4 s
    // alone (writeOutputs racing itself, 14 MB in all) took over 5 s there. The timeout only
    // guards against a hang; what the tests assert does not depend on time.
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
