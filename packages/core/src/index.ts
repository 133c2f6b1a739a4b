export type {
  Content,
  DateValue,
  EditionOptions,
  Entry,
  FieldValue,
  ImageRef,
  Issue,
  IssueMeta,
  Item,
  Lang,
  LinkRef,
  Part,
  Point,
  Position,
  Section,
  SectionBreak
} from './issue.js'
export { sectionItems } from './section-items.js'
export type { FieldSpec, FieldType, SectionType, SectionTypes } from './section-type.js'
export type { MessageOptions, Place, VFileMessage } from './diagnostics.js'
export { MESSAGES_DOC, VFile, addError, hasErrors, info, list, messageUrl, pointAt, warn } from './diagnostics.js'
export type { JsonMessage, ReportOptions } from './reporter.js'
export { report, severity, toJson } from './reporter.js'
export { CONFIG_FILES, loadConfig } from './config.js'
export type { LoadedConfig } from './config.js'
export { configSchema, defineConfig } from './config-schema.js'
export type { Config } from './config-schema.js'
export { locateJson } from './locate-json.js'
export { MAX_MESSAGE_LENGTH, MAX_QUOTED_LENGTH, shorten, shortenMessage } from './shorten.js'
export { BLEED_MM, PAPER_EXPECTED, isPaperSize, mmToPt, pageGeometry, parsePaper } from './page-geometry.js'
export type { PageGeometry, Paper } from './page-geometry.js'
export { absoluteUrl, anchorUrl, editionUrl } from './site-url.js'
export type { Containment, DecodedPath } from './contained-path.js'
export { decodeUrlPath, encodeUrlPath, isInside, realPathInside, realPathInsideAsync } from './contained-path.js'
export { DATE_FORMS, formatDate, parseDate } from './dates.js'
export { labels } from './labels.js'
export type { SchemaProblem } from './schema-problems.js'
export { schemaProblems } from './schema-problems.js'
export { escapeHtml } from './escape-html.js'
export { chineseBreaks, chineseWords } from './chinese-words.js'
