import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

/** The font packages this package depends on, whose files a print document links. */
export const fontPackages = ['@fontsource/noto-serif-sc', '@fontsource/noto-sans-sc'] as const

/**
 * The installed folders of the @fontsource packages, to add to `allowedRoots`.
 *
 * @param packages Package names (default: {@link fontPackages}).
 */
export function fontRoots(packages: readonly string[] = fontPackages): string[] {
  return packages.map((name) => path.dirname(require.resolve(`${name}/package.json`)))
}
