import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { isInside } from '@masthead/core'

/** A folder the preview serves under `/files/<name>/`. */
export interface Mount {
  name: string
  dir: string
  /** `immutable` for folders that do not change while the preview runs (font packages). */
  cache?: 'revalidate' | 'immutable'
}

/**
 * The folders the preview serves: the issue folder, and the folders a print document may
 * load from (templates, styles, font packages), each under a short unique name.
 *
 * @param issueDir The issue folder (mounted as `issue`).
 * @param roots The builder's asset roots.
 * @param watched The folders being edited (templates, styles): the rest are package folders.
 */
export function previewMounts(issueDir: string, roots: readonly string[], watched: readonly string[] = []): Mount[] {
  const editable = new Set(watched.map((dir) => path.resolve(dir)))
  const mounts: Mount[] = [{ name: 'issue', dir: path.resolve(issueDir) }]
  const taken = new Set(['issue'])
  for (const root of roots) {
    const base = path.basename(root).replace(/[^\w.-]+/g, '-') || 'root'
    let name = base
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`
    taken.add(name)
    const dir = path.resolve(root)
    mounts.push({ name, dir, cache: editable.has(dir) ? 'revalidate' : 'immutable' })
  }
  return mounts
}

/**
 * The preview URL of a local file, when a mount serves it.
 *
 * @param file An absolute path.
 */
export function mountUrl(file: string, mounts: readonly Mount[]): string | undefined {
  let best: Mount | undefined
  for (const mount of mounts) {
    if (isInside(mount.dir, file) && (!best || mount.dir.length > best.dir.length)) best = mount
  }
  if (!best) return undefined
  const relative = path.relative(best.dir, file).split(path.sep).filter(Boolean).map(encodeURIComponent)
  return `/files/${[best.name, ...relative].join('/')}${file.endsWith(path.sep) || relative.length === 0 ? '/' : ''}`
}

/** Point every `file://` URL of a document at the preview's `/files/…` instead. */
export function toPreviewUrls(html: string, mounts: readonly Mount[]): string {
  return html.replace(/file:\/\/[^"'()\s<>]+/g, (url) => {
    try {
      const file = fileURLToPath(url)
      const served = mountUrl(file, mounts)
      return served ?? url
    } catch {
      return url
    }
  })
}

/** Screen styles for the print HTML in the preview: a sheet at page width on a desk. */
const PRINT_SCREEN_CSS = `
@media screen {
  html { background: #e4e1da; }
  body {
    box-sizing: border-box;
    width: var(--page-width, 210mm);
    margin: 28px auto 56px;
    padding-bottom: var(--margin-bottom, 20mm);
    background: #fff;
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.08), 0 10px 36px rgb(0 0 0 / 0.14);
  }
  body > :not(.cover) { padding-left: var(--margin-inner, 20mm); padding-right: var(--margin-outer, 20mm); }
  [data-masthead-break] { position: relative; margin-top: 18mm !important; }
  [data-masthead-break]::before {
    content: attr(data-masthead-break);
    position: absolute; left: calc(-1 * var(--margin-inner, 20mm)); right: calc(-1 * var(--margin-outer, 20mm)); top: -10mm;
    border-top: 1px dashed #b9b3a6; color: #9a9385;
    font: 500 10px/1.6 system-ui, sans-serif; letter-spacing: 0.08em; text-transform: uppercase; text-align: center; text-indent: 0;
  }
}
`

/**
 * Marks the forced page breaks (`break-before` / `break-after: page` on the top three
 * levels, where sections and covers are), after the load so the swap is not held up.
 */
const PRINT_SCREEN_JS = `
addEventListener('load', () => setTimeout(() => {
  const forced = ['page', 'left', 'right', 'recto', 'verso', 'always']
  const mark = (element) => { if (element && element.previousElementSibling) element.setAttribute('data-masthead-break', 'page break') }
  for (const element of document.querySelectorAll('body > *, body > * > *, body > * > * > *')) {
    const style = getComputedStyle(element)
    if (forced.includes(style.breakBefore)) mark(element)
    if (forced.includes(style.breakAfter)) mark(element.nextElementSibling)
  }
}))
`

/**
 * The print HTML as the preview serves it: local URLs through `/files/`, a `<base>` in the
 * issue folder, and screen styles that lay it out as a sheet with its page breaks marked.
 *
 * @param html The print HTML (`print.html` of a build).
 */
export function previewPrintHtml(html: string, mounts: readonly Mount[]): string {
  const served = toPreviewUrls(html, mounts)
  const head = `<style id="masthead-preview">${PRINT_SCREEN_CSS}</style>\n<script>${PRINT_SCREEN_JS}</script>\n`
  return served.includes('</head>') ? served.replace('</head>', head + '</head>') : head + served
}

/**
 * A stylesheet importing the font packages' stylesheets the print HTML links (the
 * @fontsource CSS of its families), for the preview's own chrome and the email frames.
 *
 * @param html The print HTML.
 */
export function fontStylesheet(html: string, mounts: readonly Mount[]): string {
  const packages = mounts.filter((mount) => mount.cache === 'immutable')
  const imports: string[] = []
  for (const match of html.matchAll(/<link\b[^>]*\brel=["']?stylesheet["']?[^>]*>/gi)) {
    const href = /\bhref=["']?(file:[^"'\s>]+)/i.exec(match[0])?.[1]
    if (!href) continue
    try {
      const served = mountUrl(fileURLToPath(href), packages)
      if (served && !imports.includes(served)) imports.push(served)
    } catch {
      // Not a file URL after all.
    }
  }
  return imports.map((url) => `@import url("${url}");`).join('\n') + '\n'
}

/**
 * The email HTML as the preview serves it: `cid:` images from `/email-assets/`, links
 * opening in a new tab rather than inside the frame, and the project's fonts offered under
 * their family names (`/fonts.css`), as on a reader's device that has them installed: the
 * email's font stacks name them (Noto Sans SC …), and a machine without CJK fonts would
 * otherwise show boxes.
 *
 * @param html The email HTML (`email.html` of a build).
 */
export function previewEmailHtml(html: string): string {
  const served = html.replace(
    /(["'(])cid:([^"'()\s]+)/g,
    (_match, quote: string, cid: string) => `${quote}/email-assets/${encodeURIComponent(cid)}`
  )
  const base = '<base target="_blank"><link rel="stylesheet" href="/fonts.css">'
  if (/<head[^>]*>/i.test(served)) return served.replace(/<head([^>]*)>/i, `<head$1>${base}`)
  return base + served
}
