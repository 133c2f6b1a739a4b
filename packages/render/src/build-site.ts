import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Issue } from '@masthead/core'
import { VFile, info, warn } from '@masthead/core'
import type { Outputs } from './build-issue.js'
import type { Project } from './open-project.js'
import { listIssues } from './open-project.js'

/** Options for {@link buildSite}. */
export interface SiteOptions {
  /** Where `dist/` is published (config `site.url`). */
  url?: string
  /** The archive's and the feed's title (config `site.title`; default: the newest issue's newsletter name). */
  title?: string
}

/** What {@link buildSite} returns: `index.html` and `feed.xml` (none when no issue is published), and messages. */
export interface SiteResult {
  outputs: Outputs
  /** How many issues the archive lists. */
  issues: number
  files: VFile[]
}

/**
 * The site around the web editions: `dist/index.html` (the archive) and `dist/feed.xml`
 * (Atom), from every issue under `issues/` that has a web edition in `dist/<slug>/`
 * (read from its `issue.json`, so issues built earlier are listed without rebuilding them).
 *
 * @param project The opened project.
 */
export async function buildSite(project: Project, options: SiteOptions = {}): Promise<SiteResult> {
  const { buildArchive, buildFeed, readStyles, siteIssue } = await import('@masthead/web')
  const { dist, styles } = project.paths
  const files: VFile[] = []
  const published = []
  for (const slug of await listIssues(project.paths)) {
    const dir = path.join(dist, slug)
    if (!existsSync(path.join(dir, 'index.html'))) continue
    const modelPath = path.join(dir, 'issue.json')
    let issue: Issue
    try {
      issue = JSON.parse(await readFile(modelPath, 'utf8')) as Issue
    } catch (error) {
      const file = new VFile({ path: modelPath })
      warn(
        file,
        `Cannot read \`issue.json\` (${(error as Error).message.split('\n')[0]}), expected the issue's model beside its web edition; the archive leaves the issue out`,
        { ruleId: 'site-model', source: 'masthead:web' }
      )
      files.push(file)
      continue
    }
    published.push(siteIssue(issue, { cover: existsSync(path.join(dir, 'cover.jpg')), pdf: existsSync(path.join(dir, 'print.pdf')) }))
  }
  const outputs: Outputs = new Map()
  if (published.length === 0) return { outputs, issues: 0, files }
  const stylesheet = path.join(styles, 'web.css')
  const css = existsSync(stylesheet) ? await readStyles(stylesheet) : ''
  outputs.set(
    'index.html',
    buildArchive(published, { css, ...(options.title ? { title: options.title } : {}), ...(options.url ? { siteUrl: options.url } : {}) })
  )
  if (options.url) {
    outputs.set('feed.xml', buildFeed(published, { siteUrl: options.url, ...(options.title ? { title: options.title } : {}) }))
  } else {
    const file = new VFile({ path: path.join(project.paths.root, 'masthead.config.json') })
    info(
      file,
      'Missing `site.url` in the config, expected the address `dist/` is published at; `feed.xml` is not written (a feed’s ids and links must be absolute), and the web editions have no canonical URL',
      { ruleId: 'site-url', source: 'masthead:web' }
    )
    files.push(file)
  }
  return { outputs, issues: published.length, files }
}
