export { loadSectionTypes } from './load-section-types.js'
export type { LoadedSectionTypes } from './load-section-types.js'
export { createLayout } from './create-layout.js'
export type { Edition, Layout, LayoutOptions, RenderOptions, RenderResult } from './create-layout.js'
export type {
  EntryContext,
  FieldContext,
  ImageContext,
  ItemContext,
  MetaContext,
  PartContext,
  SectionContext,
  TemplateContext
} from './build-context.js'
export { helpers } from './helpers/index.js'
export type { Helper } from './helpers/index.js'
export { labels } from './labels.js'
export type { LabelKey } from './labels.js'
export { sectionSchema } from './section-schema.js'
export type { SectionManifest } from './section-schema.js'
export { defaultFontCss, fontRoots } from './font-css.js'
export { sectionJsonSchema } from './section-json-schema.js'
