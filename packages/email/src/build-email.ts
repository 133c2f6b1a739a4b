import type { ImageRef, Issue, Position } from '@masthead/core'
import { VFile, addError, hasErrors, info, sectionItems, warn } from '@masthead/core'
import type { CheerioAPI } from 'cheerio'
import { compileMjml } from './compile-mjml.js'
import { digestExcerpt } from './digest-excerpt.js'
import { composeEml } from './compose-eml.js'
import type { AssetProblem, EmailAsset } from './embed-images.js'
import { embedImages } from './embed-images.js'
import type { EmailConfig, ResolvedEmailConfig } from './email-config.js'
import { resolveEmailConfig } from './email-config.js'
import type { EmailTemplateData } from './email-template-data.js'
import { emailTemplateData } from './email-template-data.js'
import { minifyHtml, parseEmailHtml, sixHexDom, tagLinks } from './email-transforms.js'
import { findActiveContent } from './find-active-content.js'
import { finishText } from './finish-text.js'
import type { MergeTagVault } from './merge-tag-vault.js'
import { createMergeTagVault } from './merge-tag-vault.js'
import { plainTextEdition } from './plain-text-edition.js'
import { qrImages } from './qr-images.js'
import { classLinks, compactStyles, shareFontFamily } from './share-font-family.js'
import type { HtmlPartEncoding } from './html-part-encoding.js'
import { foldHtmlLines, htmlPartEncoding } from './html-part-encoding.js'

const SOURCE = 'masthead:email'

/** The issue handed to the email templates: the Issue model plus `email` (reached as `issue.email` in templates). */
export type EmailIssue = Issue & { email: EmailTemplateData }

/**
 * Renders the email layout (MJML filled by Handlebars) for the prepared issue, usually
 * `(issue) => layout.render('email', issue)`; a string or a `{ output, files }` result.
 */
export type RenderEmailMjml = (issue: EmailIssue) => string | RenderedMjml | Promise<string | RenderedMjml>

/** What `layout.render` returns. */
export interface RenderedMjml {
  output: string
  files?: VFile[]
}

/** Options for {@link buildEmail}: `render` (usually `layout.render('email', …)`) or a ready `mjml` string. */
export interface BuildEmailOptions {
  issue: Issue
  render?: RenderEmailMjml
  /**
   * Renders the text templates for the prepared issue, usually
   * `(issue) => layout.render('text', issue)` (`templates/layouts/text.hbs`, each type's
   * `text.hbs` or the generic `partials/text-section.hbs`). Without it the text part is
   * written by `plainTextEdition` from the model.
   */
  renderText?: RenderEmailMjml
  mjml?: string
  config?: EmailConfig
  /**
   * Called once the HTML and the plain text are final (all checks but the .eml's done),
   * before the .eml is composed: a live preview shows them meanwhile. `files` carry the
   * messages so far, so the caller can hold back views with errors. What it throws is
   * ignored.
   */
  onViews?: (views: EmailViews, files: readonly VFile[]) => void
}

/** The parts of the email edition a reader sees, before the .eml wraps them. */
export interface EmailViews {
  html: string
  text: string
  assets: EmailAsset[]
}

/** The email edition of one issue. */
export interface EmailBuild {
  html: string
  text: string
  /** The whole message (RFC 5322), ready to import into a mailing tool or to send. */
  eml: Buffer
  subject: string
  mode: 'full' | 'digest'
  /**
   * Sizes in bytes: the HTML file (UTF-8), the HTML part as the .eml carries it (`htmlEncoded`,
   * in `htmlEncoding`), the text part, the .eml, and the limit both HTML sizes are held to.
   */
  size: { html: number; htmlEncoded: number; htmlEncoding: HtmlPartEncoding['encoding']; text: number; eml: number; limit: number }
  /** Images: CID attachments (in the .eml) or files to upload under the asset base URL. */
  assets: EmailAsset[]
  /** The MJML that was compiled (after Handlebars), for debugging templates. */
  mjml: string
  /** Messages, on the issue's file (`issue.md`) and on `email.mjml` for MJML's validator. */
  files: VFile[]
}

/** One step after MJML; a step that throws is reported and skipped, leaving the HTML usable. */
interface DomTransform {
  name: string
  run: ($: CheerioAPI) => void | Promise<void>
}

/**
 * The transforms, in order (STYLE.md §7.10, maizzle's order): MJML compiles and inlines the
 * CSS (juice) → `embedImages` → `tagLinks` → `sixHex` run on one parsed DOM → it is
 * serialized once → `minify` → merge tags restored.
 */
export const EMAIL_TRANSFORMS = [
  'protectMergeTags',
  'render',
  'mjml (inlineCss)',
  'embedImages',
  'tagLinks',
  'classLinks',
  'shareFontFamily',
  'compactStyles',
  'sixHex',
  'minify',
  'foldLines',
  'restoreMergeTags'
] as const

/** An error for each script, event handler or `javascript:` URL in the final HTML. */
function reportActiveContent(file: VFile, html: string): void {
  for (const found of findActiveContent(parseEmailHtml(html))) {
    addError(
      file,
      `Unexpected ${found} in the email HTML, expected no scripts, event handlers or \`javascript:\` URLs (mail clients drop them and spam filters penalise them); remove it from the email templates or the merge tags`,
      {
        ruleId: 'email-active-content',
        source: SOURCE
      }
    )
  }
}

/**
 * An error for each image the email could not embed, at the image's place in `issue.md`
 * when the issue has an image of that `src` (a corrupt file, one over the pixel limit).
 */
function reportAssetProblems(file: VFile, issue: Issue, problems: readonly AssetProblem[]): void {
  const places = new Map<string, NonNullable<ImageRef['position']>>()
  const remember = (image: ImageRef) => {
    if (image.position && !places.has(image.src)) places.set(image.src, image.position)
  }
  for (const section of issue.sections) {
    for (const value of Object.values(section.fields)) if (typeof value === 'object' && 'src' in value) remember(value)
    for (const item of sectionItems(section)) item.images.forEach(remember)
  }
  for (const problem of problems) {
    let src = problem.src
    try {
      src = decodeURI(src)
    } catch {
      // kept as written
    }
    addError(file, problem.reason, {
      ruleId: 'email-image',
      source: SOURCE,
      actual: problem.src,
      place: places.get(src) ?? places.get(problem.src)
    })
  }
}

async function toHtml(
  compiled: string,
  issue: Issue,
  config: ResolvedEmailConfig,
  file: VFile
): Promise<{ html: string; assets: EmailAsset[] }> {
  const $ = parseEmailHtml(compiled)
  let assets: EmailAsset[] = []
  const steps: DomTransform[] = [
    {
      name: 'embedImages',
      run: async (dom) => {
        const result = await embedImages(dom, issue.dir, config.assets)
        assets = result.assets
        reportAssetProblems(file, issue, result.problems)
      }
    },
    { name: 'tagLinks', run: (dom) => tagLinks(dom, config.utm) },
    { name: 'classLinks', run: (dom) => classLinks(dom) },
    { name: 'shareFontFamily', run: (dom) => shareFontFamily(dom) },
    { name: 'compactStyles', run: (dom) => compactStyles(dom) },
    { name: 'sixHex', run: (dom) => sixHexDom(dom) }
  ]
  for (const step of steps) {
    try {
      await step.run($)
    } catch (error) {
      warn(file, `Cannot run email transform \`${step.name}\`; it is skipped`, {
        ruleId: 'email-transform',
        source: SOURCE,
        cause: error as Error
      })
    }
  }
  let html = $.html()
  try {
    html = await minifyHtml(html)
  } catch (error) {
    warn(file, 'Cannot minify the email HTML; it is left as is', { ruleId: 'email-transform', source: SOURCE, cause: error as Error })
  }
  html = foldHtmlLines(html)
  return { html, assets }
}

/** Render the templates for the prepared, protected issue; merge tags in the output are protected too. */
async function renderMjml(
  options: BuildEmailOptions,
  issue: EmailIssue,
  vault: MergeTagVault,
  file: VFile
): Promise<{ mjml: string; files: VFile[] }> {
  let rendered = options.mjml ?? ''
  const files: VFile[] = []
  if (options.render) {
    const result = await options.render(vault.protectDeep(issue))
    if (typeof result === 'string') rendered = result
    else {
      rendered = result.output
      files.push(...(result.files ?? []))
    }
  }
  const mjml = vault.protect(rendered)
  if (mjml.trim() === '') {
    addError(file, 'Unexpected empty email template output, expected MJML from `templates/layouts/email.hbs`', {
      ruleId: 'email-template',
      source: SOURCE
    })
  }
  return { mjml, files }
}

/** One rendering of the email HTML, in the mode `config` says. */
interface RenderedEdition {
  html: string
  assets: EmailAsset[]
  /** The MJML after Handlebars, merge tags restored. */
  mjml: string
  mjmlFile: VFile
  templateFiles: VFile[]
  bytes: number
}

/** Render, compile and transform the email HTML; messages about the issue go on `file`. */
async function renderEdition(options: BuildEmailOptions, config: ResolvedEmailConfig, file: VFile): Promise<RenderedEdition> {
  const vault = createMergeTagVault(config.mergeTags)
  const qrs = await qrImages(options.issue, config.assets)
  const prepared = emailTemplateData(options.issue, config, qrs)
  const { mjml, files: templateFiles } = await renderMjml(options, { ...prepared.issue, email: prepared.data }, vault, file)
  const mjmlFile = new VFile({ path: 'email.mjml', value: mjml })
  const compiled = mjml.trim() === '' ? { html: '', errors: [] } : await compileMjml(mjml)
  for (const error of compiled.errors) {
    warn(mjmlFile, `Unexpected MJML in \`<${error.tagName}>\`: ${error.message}`, {
      ruleId: 'mjml',
      source: SOURCE,
      place: { line: error.line, column: 1 }
    })
  }
  const { html: minified, assets: images } = await toHtml(compiled.html, options.issue, config, file)
  const html = vault.restore(minified)
  // The QR codes the templates used are sent (or uploaded) with the other images.
  const assets = [...images, ...[...qrs.values()].filter((qr) => html.includes(qr.href))]
  return { html, assets, mjml: vault.restore(mjml), mjmlFile, templateFiles, bytes: Buffer.byteLength(html, 'utf8') }
}

/** Text a digest leaves out, where it is written. */
export interface StrandedText {
  /** The item's headline or id, or the timeline entry's event. */
  name: string
  position: Position | undefined
}

/**
 * What a digest leaves out with nowhere to read on, when the issue has no `url` (the web
 * edition, `url#item-id`): items whose excerpt is not their whole text and that have no
 * `link` of their own, and timeline notes (a digest shows dates and events only).
 */
export function strandedText(issue: Issue): StrandedText[] {
  if (issue.meta.url) return []
  const flat = (value: string) => value.replace(/\s+/g, ' ').trim()
  return issue.sections.flatMap((section) => [
    ...sectionItems(section)
      .filter((item) => {
        if (typeof item.fields['link'] === 'string' && item.fields['link'] !== '') return false
        const body = flat(item.body.text)
        return body !== '' && body !== flat(digestExcerpt(item))
      })
      .map((item) => ({ name: item.headline || item.title || item.id, position: item.position })),
    ...section.entries
      .filter((entry) => flat(entry.note?.text ?? '') !== '')
      .map((entry) => ({ name: entry.event, position: entry.position }))
  ])
}

const kb = (bytes: number) => `${Number((bytes / 1024).toFixed(1))} KB`

/**
 * The text part from the text templates: rendered for the prepared issue (merge tags
 * protected, so wrapping cannot split `{{ unsubscribe_url }}`), then underlined, wrapped
 * and tidied by `finishText`.
 */
async function renderTextEdition(
  options: BuildEmailOptions,
  render: RenderEmailMjml,
  config: ResolvedEmailConfig,
  file: VFile
): Promise<{ text: string; files: VFile[] }> {
  const vault = createMergeTagVault(config.mergeTags)
  const prepared = emailTemplateData(options.issue, config)
  const result = await render(vault.protectDeep({ ...prepared.issue, email: prepared.data }))
  const output = typeof result === 'string' ? result : result.output
  const files = typeof result === 'string' ? [] : (result.files ?? [])
  if (output.trim() === '') {
    addError(file, 'Unexpected empty text template output, expected the text part from `templates/layouts/text.hbs`', {
      ruleId: 'email-template',
      source: SOURCE
    })
  }
  return { text: vault.restore(finishText(vault.protect(output), config.textWidth)), files }
}

/**
 * Report the HTML's size, as a file and as the .eml's HTML part (encoded): an error when
 * either is above the limit (Gmail clips the message), else a hint naming both.
 */
function reportSize(file: VFile, bytes: number, encoded: HtmlPartEncoding, config: ResolvedEmailConfig): void {
  const limit = (config.maxBytes / 1024).toFixed(0)
  const sent = `${kb(encoded.bytes)} as sent (${encoded.encoding})`
  if (bytes > config.maxBytes || encoded.bytes > config.maxBytes) {
    const hint = config.mode === 'full' ? '; set `email: { mode: digest }` in the frontmatter' : ''
    const what = bytes > config.maxBytes ? `email HTML of ${kb(bytes)}` : `email HTML part of ${sent}`
    const other = bytes > config.maxBytes ? sent : `${kb(bytes)} as a file`
    addError(
      file,
      `Unexpected ${what} in \`${config.mode}\` mode, expected at most ${limit} KB (Gmail clips longer messages)${hint}; ${other}`,
      {
        ruleId: 'email-size',
        source: SOURCE,
        actual: String(Math.max(bytes, encoded.bytes))
      }
    )
  } else {
    info(file, `Email HTML is ${kb(bytes)} in \`${config.mode}\` mode (limit ${limit} KB); ${sent}`, {
      ruleId: 'email-size',
      source: SOURCE,
      actual: String(bytes)
    })
  }
}

/** Digest text cut with nowhere to read on: the full edition when it fits (a warning), else an error for each. */
async function settleDigest(
  options: BuildEmailOptions,
  config: ResolvedEmailConfig,
  edition: RenderedEdition,
  file: VFile,
  renderFile: VFile
): Promise<{ config: ResolvedEmailConfig; edition: RenderedEdition }> {
  const stranded = config.mode === 'digest' ? strandedText(options.issue) : []
  if (stranded.length === 0) return { config, edition }
  // Digest excerpts that would end in “…” with nowhere to read on: full mode keeps every
  // word when it fits Gmail's limit; otherwise the editor has to say where the full text is.
  const full = { ...config, mode: 'full' as const }
  const fullFile = new VFile({ path: options.issue.source })
  const fullEdition = await renderEdition(options, full, fullFile)
  if (fullEdition.bytes <= config.maxBytes && !hasErrors([fullFile])) {
    warn(
      file,
      `Unexpected digest mode without a link to the full text (no \`url\` in the frontmatter, and ${stranded.length} excerpt${stranded.length === 1 ? '' : 's'} or note${stranded.length === 1 ? '' : 's'} a digest would cut without a \`link\`), expected \`url\`: the web edition’s address; built in full mode instead, which fits (${kb(fullEdition.bytes)}, limit ${kb(config.maxBytes)})`,
      {
        ruleId: 'email-digest-url',
        source: SOURCE,
        ...(stranded[0]!.position ? { place: stranded[0]!.position } : {})
      }
    )
    renderFile.messages.splice(0, renderFile.messages.length, ...fullFile.messages)
    return { config: full, edition: fullEdition }
  }
  for (const item of stranded) {
    addError(
      file,
      `Unexpected digest excerpt of \`${item.name}\` without a link to its full text, expected \`url\` in the frontmatter (the web edition’s address) or a \`link:\` line on the item; full mode does not fit either (${kb(fullEdition.bytes)}, limit ${kb(config.maxBytes)})`,
      {
        ruleId: 'email-digest-url',
        source: SOURCE,
        ...(item.position ? { place: item.position } : {})
      }
    )
  }
  return { config, edition }
}

/** Hand the final HTML and text to `onViews`, if given; what it throws is ignored. */
function showViews(options: BuildEmailOptions, views: EmailViews, files: readonly VFile[]): void {
  if (!options.onViews) return
  try {
    options.onViews(views, files)
  } catch {
    // The caller's business.
  }
}

/**
 * Build the email edition of an issue: HTML that mail clients render (MJML), a plain-text
 * edition from the Issue model, and an .eml with both and the inline images.
 *
 * Merge tags (`*|UNSUB|*`, `{{ UnsubscribeURL }}`, `%%unsubscribe%%` …) in the issue, the
 * configuration or the templates come out verbatim. The HTML size is reported (info) and
 * is an error above `config.maxBytes` (Gmail clips at 102 KB).
 *
 * @param options `issue`, `render` or `mjml`, and `config`.
 * @returns The edition, and VFiles holding the messages.
 */
export async function buildEmail(options: BuildEmailOptions): Promise<EmailBuild> {
  const { issue } = options
  if (!options.render && options.mjml === undefined) {
    throw new TypeError('Missing `render` or `mjml` in `buildEmail` options, expected a render function (layout.render) or an MJML string')
  }
  const configured = resolveEmailConfig(issue, options.config)
  const file = new VFile({ path: issue.source })
  const renderFile = new VFile({ path: issue.source })
  const rendered = await renderEdition(options, configured, renderFile)
  const { config, edition } = await settleDigest(options, configured, rendered, file, renderFile)
  file.messages.push(...renderFile.messages)
  const { html, assets, mjml, mjmlFile, templateFiles, bytes } = edition
  // Checked after the merge tags are back: they return unescaped.
  reportActiveContent(file, html)
  const { text, files: textFiles } = options.renderText
    ? await renderTextEdition(options, options.renderText, config, file)
    : { text: plainTextEdition(issue, config), files: [] }
  templateFiles.push(...textFiles.filter((textFile) => !templateFiles.includes(textFile)))
  const encoded = htmlPartEncoding(html)
  reportSize(file, bytes, encoded, config)
  showViews(options, { html, text, assets }, [file, mjmlFile, ...templateFiles])

  const eml = await composeEml({
    subject: config.subject,
    from: config.sender,
    to: config.recipient,
    date: config.date,
    html,
    text,
    attachments: config.assets.mode === 'cid' ? assets : [],
    unsubscribeUrl: config.unsubscribeUrl,
    id: issue.slug,
    htmlEncoding: encoded.encoding
  })
  return {
    html,
    text,
    eml,
    subject: config.subject,
    mode: config.mode,
    size: {
      html: bytes,
      htmlEncoded: encoded.bytes,
      htmlEncoding: encoded.encoding,
      text: Buffer.byteLength(text, 'utf8'),
      eml: eml.length,
      limit: config.maxBytes
    },
    assets,
    mjml,
    files: [file, mjmlFile, ...templateFiles]
  }
}
