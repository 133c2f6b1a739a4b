import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Issue, VFile } from '@masthead/core'
import { hasErrors, warn } from '@masthead/core'
import type { Layout } from '@masthead/layout'
import type * as WebModule from '@masthead/web'
import type { BuilderOptions, BuilderResult } from '../builder-types.js'
import type { Project } from '../open-project.js'
import { webEditionUrl } from '../site-links.js'
import { editionFile, keepMessages, since } from './build-result.js'

let webModule: Promise<typeof WebModule> | undefined

/** Whether the project has a web layout (a project from before the web edition has none, and builds the other editions as it did). */
export function hasWebLayout(project: Project): boolean {
  return existsSync(path.join(project.paths.templates, 'layouts', 'web.hbs'))
}

/**
 * The web edition: `index.html` and its images, and `cover.jpg` from the PDF's first page
 * when the PDF is built. With `printed` (the PDF being made), the page and its images are
 * made meanwhile, and the cover once the PDF is there; should there be no cover after
 * all, the page is made again without pointing at one.
 */
export async function webStep(
  project: Project,
  options: BuilderOptions,
  layout: Layout,
  issue: Issue,
  source: VFile,
  result: BuilderResult,
  printed?: Promise<void>
): Promise<void> {
  if (!hasWebLayout(project)) return
  const start = performance.now()
  const file = editionFile(result, 'web', source)
  // @masthead/web (sharp …) is loaded when a web edition is first built.
  const { buildWebEdition } = await (webModule ??= import('@masthead/web'))
  const url = webEditionUrl(issue, options.site?.url)
  const forWeb = url ? { ...issue, meta: { ...issue.meta, url } } : issue
  const rendered = layout.render('web', forWeb)
  keepMessages(result, 'web', rendered.files)
  if (hasErrors(rendered.files)) return
  const make = (cover: boolean) =>
    buildWebEdition({ issue: forWeb, html: rendered.output, ...(url ? { url } : {}), cover, feed: Boolean(options.site?.url) })
  const early = printed ? make(true) : undefined
  early?.catch(() => undefined)
  await printed?.catch(() => undefined)
  const cover = await coverOf(result, file)
  const web = early && cover ? await early : await make(cover !== undefined)
  keepMessages(result, 'web', web.files)
  for (const [name, data] of web.outputs) result.outputs.set(name, data)
  if (cover) result.outputs.set('cover.jpg', cover)
  result.timings.web = since(start)
}

/** The cover from the built PDF's first page; a failure is a `web-cover` warning. */
async function coverOf(result: BuilderResult, file: VFile): Promise<Uint8Array | undefined> {
  const pdf = result.outputs.get('print.pdf')
  if (!(pdf instanceof Uint8Array)) return undefined
  const { renderCover } = await (webModule ??= import('@masthead/web'))
  try {
    return await renderCover(pdf)
  } catch (error) {
    warn(file, `${(error as Error).message}; the archive shows this issue without its cover`, {
      ruleId: 'web-cover',
      source: 'masthead:web'
    })
    return undefined
  }
}
