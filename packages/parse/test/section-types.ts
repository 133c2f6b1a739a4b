import { readFileSync, readdirSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SectionType } from '@masthead/core'

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/**
 * The section types of the repository's templates/, read straight from the manifests
 * (parse must not depend on @masthead/layout, which owns validating them).
 */
export function sectionTypes(templates = path.join(root, 'templates')): Map<string, SectionType> {
  const types = new Map<string, SectionType>()
  const dir = path.join(templates, 'sections')
  for (const name of readdirSync(dir)) {
    const manifest = path.join(dir, name, 'section.json')
    if (!existsSync(manifest)) continue
    const data = JSON.parse(readFileSync(manifest, 'utf8')) as SectionType
    types.set(name, { ...data, sectionFields: data.sectionFields ?? {}, fields: data.fields ?? {} })
  }
  return types
}
