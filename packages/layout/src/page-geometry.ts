// Page geometry lives in @masthead/core (one table of paper sizes and one parser for the
// config, the frontmatter, the layout and the PDF); the layout re-exports it for its users.
export { pageGeometry } from '@masthead/core'
export type { PageGeometry } from '@masthead/core'
