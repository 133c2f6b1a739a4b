import type { VFile } from '@masthead/core'
import type { EmailAsset, EmailConfig, EmailViews } from '@masthead/email'
import type { StartedChromium } from '@masthead/pdf'
import type { BuildResult, Edition } from './build-issue.js'

/** Options for {@link createBuilder}. */
export interface BuilderOptions {
  /** The Chromium binary; default: found through `env` (see `@masthead/pdf`'s `findChromium`). */
  chromium?: string
  env?: Readonly<Record<string, string | undefined>>
  /** Milliseconds for Chromium to start, and for one PDF render. */
  launchTimeout?: number
  renderTimeout?: number
  /** `http(s)://host[:port]` origins a print document may load from (config `network.allow`); all other network requests are blocked. */
  allowedOrigins?: readonly string[]
  /**
   * Paper and bleed for every issue, over each issue's frontmatter; `pressReady` and
   * `archival` also make `print-press.pdf` (PDF/X-4) and `print-archival.pdf` (PDF/A-2b),
   * `overprint` makes small black text overprint in the press file.
   */
  print?: { paper?: string; bleed?: boolean; pressReady?: boolean; archival?: boolean; overprint?: boolean }
  /** Email settings (sender, unsubscribe URL, UTM tags, asset base …). */
  email?: EmailConfig
  /**
   * Where `dist/` is published (config `site.url`): each web edition is at `<url><slug>/`,
   * its canonical URL; the email's "view in browser" and "read more" links lead there.
   */
  site?: { url?: string }
  /**
   * Start Chromium at once, so its launch overlaps parsing and layout (for a build that will
   * print). A launch failure surfaces at the first print, as without it. Or a Chromium the
   * caller started earlier still (`startChromium` of `@masthead/pdf/start`, before loading
   * this package): the builder adopts it when it is the binary and allowed origins these
   * options ask for, and kills it otherwise. Either way the builder owns it from then on.
   */
  prelaunch?: boolean | StartedChromium
}

/** The editions a builder can make: those of {@link Edition}, and `print-html` — the print HTML without the PDF (fast, for previews). */
export type BuilderEdition = Edition | 'print-html'

/** Options of one build. */
export interface BuildRequest {
  /** Which editions to build (default: `model`, `print`, `email`, `web`). `print` includes `print-html`. */
  editions?: readonly BuilderEdition[]
  /**
   * An earlier result of the same issue from this builder to continue from: its parsed issue
   * (and its print HTML) are reused instead of parsing and rendering again. Ignored when the
   * templates were reloaded since. A live preview builds `print-html`, then `email`, then
   * `print` from the first result.
   */
  from?: BuildResult
  /**
   * Files the print document links (images, stylesheets) may have changed on disk since the
   * last PDF: load it afresh rather than over the warm page, whose memory cache would print
   * the old ones. Implied after {@link Builder.reload}.
   */
  fresh?: boolean
  /**
   * Called as soon as the email's HTML and text are final and the build has no errors so
   * far, before the .eml is composed (a live preview shows them meanwhile). What it throws
   * is ignored.
   */
  onEmailViews?: (views: EmailViews) => void
  /**
   * Called as soon as the PDF is saved and the build has no errors so far, before the
   * preflight's findings are in (they follow in the result's files): a live preview shows
   * the pages meanwhile. What it throws is ignored.
   */
  onPdf?: (pdf: Uint8Array) => void
  /**
   * Run the press preflight when the issue is press-ready, but make neither the press nor
   * the archival file (`masthead check`: findings only, no Ghostscript). Implies `flow`.
   */
  checkOnly?: boolean
  /**
   * Also check how the body flowed over the pages (`sparse-page`, `stranded-heading`): one
   * more print of the page, so `masthead check` and the live preview ask for it and a plain
   * build does not.
   */
  flow?: boolean
}

/**
 * Milliseconds per step of one build (only the steps that ran), and how many times the PDF
 * was printed (`prints`: 1, or 2–3 when the table of contents had to be filled in or moved).
 */
export type BuildTimings = Partial<
  Record<
    | 'parse'
    | 'print-html'
    | 'pdf'
    | 'pdf-load'
    | 'pdf-print'
    | 'pdf-preflight'
    | 'pdf-finish'
    | 'pdf-press'
    | 'pdf-archival'
    | 'email'
    | 'web'
    | 'prints',
    number
  >
>

/** The email's views a live preview shows before the .eml is composed (from @masthead/email). */
export type { EmailViews }

/** What a builder's build returns: a {@link BuildResult}, plus what previews want. */
export interface BuilderResult extends BuildResult {
  /** The email's images (CID attachments or files to upload): a preview serves them. */
  emailAssets: EmailAsset[]
  timings: BuildTimings
}

/** Builds issues with shared state: compiled templates, one warm browser. */
export interface Builder {
  /** Build one issue's editions in memory. */
  build(slug: string, request?: BuildRequest): Promise<BuilderResult>
  /** Re-read the section manifests, recompile templates and reload styles (after a designer's edit). */
  reload(): Promise<VFile[]>
  /** Close the browser. Safe to call twice. */
  close(): Promise<void>
  /** The folders a print document may load files from, besides its issue folder (templates, styles, fonts). */
  readonly assetRoots: readonly string[]
}
