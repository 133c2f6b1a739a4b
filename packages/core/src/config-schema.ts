import * as v from 'valibot'
import { originProblem } from './check-origin.js'
import { PAPER_EXPECTED, parsePaper } from './page-geometry.js'

/**
 * An optional config key with its description. The description is what editors show on
 * hover and in autocompletion: it goes into `config.schema.json` (see `configJsonSchema`).
 */
function key<const TSchema extends v.GenericSchema>(schema: TSchema, description: string) {
  return v.pipe(v.optional(schema), v.description(description))
}

const mailbox = v.strictObject(
  {
    name: key(v.string('expected a display name'), 'The display name, e.g. `Harbour Notes`.'),
    address: v.pipe(
      v.string('expected an email address'),
      v.email('expected an email address, `name@example.org`'),
      v.description('The email address, e.g. `news@example.org`.')
    )
  },
  'expected `{ "name": …, "address": … }`'
)

const origin = v.pipe(
  v.string('expected an origin'),
  v.check(
    (value) => originProblem(value) === undefined,
    (issue) => originProblem(String(issue.input)) ?? 'expected an origin'
  )
)

const milliseconds = v.pipe(v.number('expected milliseconds'), v.integer(), v.minValue(1000))
const flag = v.boolean('expected `true` or `false`')
const folder = v.string('expected a folder path')

const paths = v.strictObject(
  {
    issues: key(folder, 'The issues folder, one sub-folder per issue with its `issue.md`. Relative to the config file; default `issues`.'),
    templates: key(folder, 'The Handlebars templates (`layouts/`, `partials/`, `sections/<type>/`). Default `templates`.'),
    styles: key(folder, 'The stylesheets (print, email, web). Default `styles`.'),
    dist: key(folder, 'Where the editions and the site are written, `dist/<issue>/…`. Default `dist`.')
  },
  'expected `issues`, `templates`, `styles`, `dist` folder paths'
)

const site = v.strictObject(
  {
    url: key(
      v.pipe(
        v.string('expected a URL'),
        v.regex(/^https?:\/\/[^/\s]+(\/\S*)?$/, 'expected where `dist/` is published, `https://news.example.org/`')
      ),
      "Where `dist/` is published, e.g. `https://news.example.org/`: the web edition's, the feed's and the email's absolute links start here. Without it no `feed.xml` is written."
    ),
    title: key(v.string("expected the archive's title"), "The archive page's and the feed's title; default: the newest issue's title.")
  },
  'expected `url`, `title`'
)

const print = v.strictObject(
  {
    paper: key(
      v.pipe(
        v.string(PAPER_EXPECTED),
        v.check((value) => parsePaper(value) !== undefined, PAPER_EXPECTED)
      ),
      'The trimmed page: a paper name (`A4`, `A5`, `Letter` …), optionally `landscape` (`A4 landscape`), or a width and height (`170mm 240mm`). Default `A4`; `--paper` overrides it.'
    ),
    bleed: key(flag, 'Add 3 mm of bleed on every side, with crop marks. `--bleed` turns it on.'),
    pressReady: key(
      flag,
      'Also write `print-press.pdf`, PDF/X-4 in CMYK for FOGRA39 offset (docs/printing.md). `--press-ready` turns it on.'
    ),
    archival: key(flag, 'Also write `print-archival.pdf`, PDF/A-2b with tags and bookmarks. `--archival` turns it on.'),
    overprint: key(
      flag,
      'In the press-ready PDF, small 100 % black text overprints, so a slight misregistration shows no white edge. `--overprint` turns it on.'
    )
  },
  'expected `paper`, `bleed`, `pressReady`, `archival`, `overprint`'
)

const assets = v.union(
  [
    v.strictObject({ mode: v.pipe(v.literal('cid'), v.description('Embed every image in the `.eml` as a `cid:` attachment.')) }),
    v.strictObject({
      mode: v.pipe(
        v.literal('url'),
        v.description('Reference every image by its absolute URL, `<baseUrl><file>`; upload the files there.')
      ),
      baseUrl: v.pipe(
        v.string(),
        v.url('expected an absolute base URL, `https://…/`'),
        v.description('Where the images are uploaded, ending in `/`.')
      )
    })
  ],
  'expected `{ "mode": "cid" }` or `{ "mode": "url", "baseUrl": "https://…/" }`'
)

const email = v.strictObject(
  {
    mode: key(
      v.picklist(['full', 'digest'], 'expected `full` or `digest`'),
      "The full text (`full`) or a `digest`: headline, excerpt and a link to the web edition. Default: the issue's frontmatter, then `full`."
    ),
    sender: key(mailbox, 'The From mailbox of the `.eml` (and of `masthead send`, unless `send.sender` is set).'),
    unsubscribeUrl: key(
      v.string('expected a URL or a merge tag such as `*|UNSUB|*`'),
      'The unsubscribe link: a URL or a merge tag (`*|UNSUB|*`, `{{ UnsubscribeURL }}`); adds the List-Unsubscribe headers.'
    ),
    viewInBrowserUrl: key(
      v.string('expected a URL or a merge tag such as `*|ARCHIVE|*`'),
      'The "view in browser" link: a URL or a merge tag (`*|ARCHIVE|*`). Default: the web edition at `site.url`.'
    ),
    utm: key(
      v.union([v.literal(false), v.record(v.string(), v.string())], 'expected `false` or an object of `utm_*` parameters'),
      'Query parameters added to every http(s) link, or `false` for none. Default `utm_source=newsletter`, `utm_medium=email`, `utm_campaign=<issue>`.'
    ),
    assets: key(
      assets,
      'Where the email\'s images come from: `{ "mode": "cid" }` (attached, the default) or `{ "mode": "url", "baseUrl": "https://…/" }`.'
    ),
    maxBytes: key(
      v.pipe(v.number('expected a number of bytes'), v.integer(), v.minValue(1024)),
      'Above this many bytes of HTML the email edition is not built. Default 104 448 (102 KB: Gmail clips a longer message).'
    )
  },
  'expected email options: `mode`, `sender`, `unsubscribeUrl`, `viewInBrowserUrl`, `utm`, `assets`, `maxBytes`'
)

const browser = v.strictObject(
  {
    executablePath: key(
      v.string('expected the path of a Chromium or Chrome binary'),
      'The Chromium or Chrome to print with. Default: `MASTHEAD_CHROMIUM` (or `CHROMIUM_PATH`, `PUPPETEER_EXECUTABLE_PATH`), then a Chromium found on the system.'
    ),
    launchTimeout: key(milliseconds, 'How long Chromium may take to start, in milliseconds (at least 1000). Default 30 000.'),
    renderTimeout: key(milliseconds, 'How long one print may take, in milliseconds (at least 1000). Default 120 000.')
  },
  'expected `executablePath`, `launchTimeout`, `renderTimeout`'
)

const network = v.strictObject(
  {
    allow: key(
      v.array(origin, 'expected a list of origins'),
      'Origins the print document may load from (fonts, images), each one exact origin such as `https://cdn.example.org`: no `*`, path or user name. Everything else is refused.'
    )
  },
  'expected `allow`'
)

const smtp = v.strictObject(
  {
    host: key(
      v.pipe(v.string('expected a host name'), v.nonEmpty('expected a host name')),
      'The SMTP server, e.g. `smtp.example.org`. The login comes from MASTHEAD_SMTP_USER and MASTHEAD_SMTP_PASS, never from a file.'
    ),
    port: key(
      v.pipe(v.number('expected a port number'), v.integer(), v.minValue(1), v.maxValue(65535)),
      'The port. Default 465 with `implicit` TLS, else 587.'
    ),
    tls: key(
      v.picklist(
        ['implicit', 'starttls', 'opportunistic', 'none'],
        'expected `implicit` (TLS from the start, port 465), `starttls`, `opportunistic` or `none`'
      ),
      '`implicit`: TLS from the first byte (port 465); `starttls`: upgrade or fail; `opportunistic`: upgrade when offered; `none`: a local relay only. Default `implicit` on port 465, else `starttls`.'
    ),
    name: key(v.string('expected the host name to give in EHLO'), 'The host name Masthead gives in EHLO.'),
    rejectUnauthorized: key(flag, 'Refuse a server whose certificate does not verify. Default `true`.')
  },
  'expected `host`, `port`, `tls`, `name`, `rejectUnauthorized` (the login comes from MASTHEAD_SMTP_USER and MASTHEAD_SMTP_PASS, never from a file)'
)

const send = v.strictObject(
  {
    smtp: key(smtp, 'The SMTP server `masthead send` mails through.'),
    sender: key(mailbox, 'The From mailbox of the sent messages; default `email.sender`.'),
    envelopeFrom: key(
      v.pipe(v.string('expected an email address'), v.email('expected an email address, `bounces@example.org`')),
      "The envelope sender (MAIL FROM), where bounces go; default: the sender's address."
    ),
    unsubscribeUrl: key(
      v.pipe(
        v.string('expected a URL'),
        v.regex(/^https?:\/\/\S/, 'expected an `https://…` URL, with `{{ email }}` and `{{ token }}` where they go')
      ),
      'The unsubscribe link of each reader, an `https://…` URL with `{{ email }}` and `{{ token }}` where they go; default `email.unsubscribeUrl`.'
    ),
    greeting: key(
      v.union(
        [
          v.literal(false),
          v.strictObject({
            named: v.pipe(v.string(), v.description('For a reader with a name: `Dear {{ name }},`.')),
            anonymous: v.pipe(v.string(), v.description('For a reader without one: `Hello,`.'))
          })
        ],
        'expected `false` or `{ "named": "Dear {{ name }},", "anonymous": "Hello," }`'
      ),
      'The greeting line above the issue: `{ "named": "Dear {{ name }},", "anonymous": "Hello," }`, or `false` for none. Default: one in the issue\'s language.'
    ),
    rate: key(
      v.pipe(v.number('expected messages per second'), v.gtValue(0, 'expected more than 0 messages per second')),
      'At most this many messages per second; default: as fast as the connections go. `--rate` overrides it.'
    ),
    concurrency: key(
      v.pipe(v.number('expected a number of connections'), v.integer(), v.minValue(1), v.maxValue(100)),
      'SMTP connections at once (1 to 100). Default 4; `--concurrency` overrides it.'
    ),
    maxAttempts: key(
      v.pipe(v.number('expected a number of attempts'), v.integer(), v.minValue(1)),
      'Tries per reader before a temporary failure counts as failed. Default 5; `--max-attempts` overrides it.'
    ),
    journal: key(folder, 'The folder of the send journals, which make a send resumable. Default `.masthead/sends`.')
  },
  'expected send options: `smtp`, `sender`, `envelopeFrom`, `unsubscribeUrl`, `greeting`, `rate`, `concurrency`, `maxAttempts`, `journal`'
)

const exportOptions = v.strictObject(
  {
    platform: key(
      v.picklist(['mailchimp', 'listmonk', 'generic'], 'expected `mailchimp`, `listmonk` or `generic`'),
      'The mailing platform whose merge tags `masthead export` writes; `--for` overrides it.'
    ),
    out: key(folder, 'Where `masthead export` writes, `<out>/<issue>/`; default `dist/<issue>/`.')
  },
  'expected `platform`, `out`'
)

/**
 * The config file's schema (`masthead.config.json`, or the default export of
 * `masthead.config.mjs`). Every key has a description; `config.schema.json` is generated
 * from it.
 */
export const configSchema = v.pipe(
  v.strictObject(
    {
      $schema: key(v.string(), 'The JSON Schema of this file, for editors: `./node_modules/@masthead/core/config.schema.json`.'),
      paths: key(paths, "The project's folders, relative to the config file."),
      site: key(site, 'The published site: the archive, the feed and the web editions.'),
      print: key(print, "The print edition (`print.pdf`); the command line's flags override these."),
      email: key(email, 'The email edition (`email.html`, `email.txt`, `email.eml`).'),
      browser: key(browser, 'The headless Chromium that prints.'),
      network: key(network, 'What the print document may fetch from the network.'),
      send: key(send, '`masthead send`: mailing the email edition over SMTP (docs/sending.md).'),
      export: key(exportOptions, '`masthead export`: the email HTML for a mailing platform.')
    },
    'expected `paths`, `site`, `print`, `email`, `browser`, `network`, `send` or `export`'
  ),
  v.title('Masthead config'),
  v.description(
    'The config of a Masthead project, `masthead.config.json` (or `masthead.config.mjs`) at its root. Command-line flags override it.'
  )
)

/** A validated config. */
export type Config = v.InferOutput<typeof configSchema>

/**
 * Type a `masthead.config.mjs`: returns `config` unchanged, so editors check and complete
 * it against {@link Config}.
 *
 * ```js
 * import { defineConfig } from '@masthead/core'
 *
 * export default defineConfig({ print: { paper: 'A5' } })
 * ```
 *
 * @param config The config, as in `masthead.config.json`.
 */
export function defineConfig(config: Config): Config {
  return config
}
