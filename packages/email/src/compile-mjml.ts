/** One problem MJML's validator found, with its line in the MJML source. */
export interface MjmlIssue {
  line: number
  message: string
  tagName: string
}

/** What {@link compileMjml} returns. */
export interface MjmlResult {
  html: string
  errors: MjmlIssue[]
}

interface MjmlOptions {
  validationLevel: 'soft' | 'strict' | 'skip'
  keepComments: boolean
  fonts: Record<string, string>
  minify: boolean
  beautify: boolean
  juiceOptions: Record<string, unknown>
}

type Mjml2Html = (mjml: string, options: MjmlOptions) => Promise<MjmlResult>

let cached: Promise<Mjml2Html> | undefined

/**
 * Load mjml once per process (importing it costs about 0.7 s; compiling then takes
 * 10–30 ms) and keep the instance.
 */
export function loadMjml(): Promise<Mjml2Html> {
  cached ??= import('mjml').then((module) => {
    const exported: unknown = module.default
    if (typeof exported !== 'function') throw new TypeError('Unexpected `mjml` export, expected a function (mjml 5)')
    return exported as Mjml2Html
  })
  return cached
}

/**
 * Compile MJML to HTML. MJML lays out the table structure, the Outlook conditionals and
 * the phone breakpoint, and inlines the CSS of `<mj-style inline="inline">` with juice.
 * Minifying is left to the last transform; no web fonts are added.
 *
 * @param mjml The MJML document (what `templates/layouts/email.hbs` produced).
 */
export async function compileMjml(mjml: string): Promise<MjmlResult> {
  const mjml2html = await loadMjml()
  const result = await mjml2html(mjml, {
    validationLevel: 'soft',
    keepComments: false,
    fonts: {},
    minify: false,
    beautify: false,
    // `img { height: auto }` must not overwrite an image's `height="…"` (Outlook needs it).
    juiceOptions: { applyHeightAttributes: false }
  })
  return { html: result.html, errors: result.errors }
}
