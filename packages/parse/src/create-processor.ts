import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'

/**
 * The Markdown dialect of issue sources: CommonMark, YAML frontmatter, GFM (tables,
 * autolinks, strikethrough) and directives (`:::news[Title]` … `:::`).
 */
export const createProcessor = () =>
  unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective).freeze()
