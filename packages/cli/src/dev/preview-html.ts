import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** A folder the preview serves under `/files/<name>/`. */
export interface Mount {
  name: string
  dir: string
}

/**
 * The folders the preview serves: the issue folder, and the folders a print document may
 * load from (templates, styles, font packages), each under a short unique name.
 *
 * @param issueDir The issue folder (mounted as `issue`).
 * @param roots The builder's asset roots.
 */
export function previewMounts(issueDir: string, roots: readonly string[]): Mount[] {
  const mounts: Mount[] = [{ name: 'issue', dir: path.resolve(issueDir) }]
  const taken = new Set(['issue'])
  for (const root of roots) {
    const base = path.basename(root).replace(/[^\w.-]+/g, '-') || 'root'
    let name = base
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`
    taken.add(name)
    mounts.push({ name, dir: path.resolve(root) })
  }
  return mounts
}

/** True when `file` is `dir` or inside it. */
export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
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

/** Marks the forced page breaks, so the galley shows where the PDF turns a page. */
const PRINT_SCREEN_JS = `
addEventListener('DOMContentLoaded', () => {
  for (const element of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(element)
    if (['page', 'left', 'right', 'recto', 'verso', 'always'].includes(style.breakBefore) && element.previousElementSibling) {
      element.setAttribute('data-masthead-break', 'page break')
    }
  }
})
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
 * The email HTML as the preview serves it: `cid:` images from `/email-assets/`, links
 * opening in a new tab rather than inside the frame.
 *
 * @param html The email HTML (`email.html` of a build).
 */
export function previewEmailHtml(html: string): string {
  const served = html.replace(/(["'(])cid:([^"'()\s]+)/g, (_match, quote: string, cid: string) => `${quote}/email-assets/${encodeURIComponent(cid)}`)
  const base = '<base target="_blank">'
  if (/<head[^>]*>/i.test(served)) return served.replace(/<head([^>]*)>/i, `<head$1>${base}`)
  return base + served
}
