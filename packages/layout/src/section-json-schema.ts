import { toJsonSchema } from '@valibot/to-json-schema'
import { sectionSchema } from './section-schema.js'

/**
 * The JSON Schema of `section.json`, generated from {@link sectionSchema}. It is written to
 * `packages/layout/section.schema.json` (manifests point at it with `$schema`, which gives
 * editors autocompletion); a test keeps the file in step.
 */
export function sectionJsonSchema(): Record<string, unknown> {
  return toJsonSchema(sectionSchema, { target: 'draft-07' }) as Record<string, unknown>
}
