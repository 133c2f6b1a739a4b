import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Command, CommanderError, Option } from 'commander'
import type { Edition } from '@masthead/render'
import type { Io } from './io.js'
import { EXIT, UsageError, processIo } from './io.js'
import { onSignal, stopChromium, type Stop, type Stoppable } from './on-signal.js'
import { startEarly } from './start-early.js'

// By the package's own name: this module runs from dist/ and from the bundle in dist/bundle/.
const { version } = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@masthead/cli/package.json'), 'utf8')) as {
  version: string
}

/** What the command that ran sets: its exit code. */
interface Run {
  code: number
}

/**
 * Run the `masthead` command.
 *
 * @param argv The arguments after `masthead`.
 * @returns The exit code: 0 ok, 1 errors in the sources (or an issue that could not be built or written), 2 bad usage.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const run: Run = { code: EXIT.ok }
  const program = new Command('masthead')
    .description('Author newsletters in Markdown; build them into a print PDF and an email edition.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run `masthead --help` for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text)
    })
    .exitOverride()
  for (const add of [addCheck, addBuild, addNew, addDev, addSend, addExport]) add(program, io, run)
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    // Loaded only now: the command line starts Chromium before it loads the heavier packages.
    const { shortenMessage } = await import('@masthead/core')
    if (error instanceof UsageError) {
      io.stderr.write(`masthead: ${shortenMessage(error.message)}\n`)
      return EXIT.usage
    }
    // Anything else is a failure of the tool, not of the sources: one line, not a stack trace.
    io.stderr.write(`masthead: ${failureText(error, io.env.MASTHEAD_DEBUG === '1', shortenMessage)}\n`)
    return EXIT.errors
  }
  return run.code
}

/**
 * Run a command that may print: when it will, Chromium boots while the command loads
 * (about a second of modules). One signal handler serves the whole command, so a signal
 * that arrives while it loads does not fall between two handlers; the command points its
 * `stop` at what it opens.
 */
async function withEarlyChromium(io: Io, prints: boolean, command: (early: Required<Stoppable>) => Promise<number>): Promise<number> {
  const chromium = prints ? await startEarly(io) : undefined
  const stop: Stop = { cleanup: () => stopChromium(chromium) }
  const release = onSignal(
    () => stop.cleanup(),
    (text) => io.stderr.write(text)
  )
  try {
    return await command({ chromium, stop })
  } finally {
    release()
  }
}

/** `masthead check [issue…]`. */
function addCheck(program: Command, io: Io, run: Run): void {
  program
    .command('check')
    .description('report every problem in the sources (and templates) without writing anything')
    .argument('[issue...]', 'issue folders under issues/ (default: all)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-render', 'check sources and templates only: skip the print preflight and the email checks')
    .option('--strict', 'treat warnings as errors', false)
    .option('-q, --quiet', 'print errors only', false)
    .action(async (issues: string[], options: { format: 'text' | 'json'; strict: boolean; quiet: boolean; render: boolean }) => {
      run.code = await withEarlyChromium(io, options.render, async (early) => {
        const { check } = await import('./commands/check.js')
        return check(issues, { ...options, ...early }, io)
      })
    })
}

/** `masthead build [issue…]`. */
function addBuild(program: Command, io: Io, run: Run): void {
  program
    .command('build')
    .description('build each issue into dist/<issue>/ (all issues when none is named)')
    .argument('[issue...]', 'issue folders under issues/ (default: all)')
    .option('--paper <size>', 'paper size: A4, "A5 landscape", Letter or "170mm 240mm" (over config and frontmatter)')
    .option('--bleed', 'add 3 mm bleed and crop marks to the PDF')
    .option('--press-ready', 'also write print-press.pdf: PDF/X-4, CMYK for FOGRA39 offset, through Ghostscript')
    .option('--archival', 'also write print-archival.pdf: PDF/A-2b, tags and bookmarks kept')
    .option('--overprint', 'in print-press.pdf, small black text overprints (no white gaps if plates shift)')
    .option('--json', 'print a JSON summary (issues, outputs, messages) on stdout')
    .option('-j, --concurrency <n>', 'issues built at once, over one browser', (value) => Number.parseInt(value, 10), 2)
    .option('--pdf', 'build the print edition (print.pdf, print.html) only')
    .option('--email', 'build the email edition (email.html, email.txt, email.eml) only')
    .option('--web', 'build the web edition (index.html, images/) only; with --pdf, also its cover.jpg')
    .option('--force', 'rebuild every issue, even one whose inputs did not change since its last build', false)
    .option('--strict', 'treat warnings as errors', false)
    .option('-q, --quiet', 'print errors only', false)
    .action(
      async (
        issues: string[],
        options: {
          pdf?: boolean
          email?: boolean
          web?: boolean
          force: boolean
          paper?: string
          bleed?: boolean
          pressReady?: boolean
          archival?: boolean
          overprint?: boolean
          json?: boolean
          concurrency: number
          strict: boolean
          quiet: boolean
        }
      ) => {
        const editions: Edition[] = ['model']
        const all = !options.pdf && !options.email && !options.web
        if (options.pdf || all) editions.push('print')
        if (options.email || all) editions.push('email')
        if (options.web || all) editions.push('web')
        if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
          throw new UsageError('Unexpected --concurrency, expected a whole number of at least 1')
        if (options.paper !== undefined) await assertPaper(options.paper)
        run.code = await withEarlyChromium(io, editions.includes('print'), async (early) => {
          const { build } = await import('./commands/build.js')
          return build(
            issues,
            {
              ...early,
              editions,
              strict: options.strict,
              quiet: options.quiet,
              json: options.json === true,
              paper: options.paper,
              bleed: options.bleed,
              pressReady: options.pressReady,
              archival: options.archival,
              overprint: options.overprint,
              concurrency: options.concurrency,
              force: options.force
            },
            io
          )
        })
      }
    )
}

/** Refuse a `--paper` value the page-geometry parser does not read, before anything is built. */
async function assertPaper(value: string): Promise<void> {
  const { PAPER_EXPECTED, parsePaper } = await import('@masthead/core')
  if (parsePaper(value) === undefined) throw new UsageError(`Unexpected --paper \`${value}\`, ${PAPER_EXPECTED}`)
}

/** `masthead new <slug>`. */
function addNew(program: Command, io: Io, run: Run): void {
  program
    .command('new')
    .description("scaffold issues/<slug>/issue.md: the next issue number, today's date and an example of every section type")
    .argument('<slug>', "the new issue folder's name, e.g. 2025-07")
    .option('--title <title>', "the newsletter's name (default: the latest issue's)")
    .addOption(new Option('--lang <lang>', "language (default: the latest issue's)").choices(['zh-CN', 'en']))
    .option('--publisher <name>', "the publisher (default: the latest issue's)")
    .option('--force', 'add issue.md to an existing folder (an existing issue.md is never overwritten)', false)
    .action(async (slug: string, options: { title?: string; lang?: 'zh-CN' | 'en'; publisher?: string; force: boolean }) => {
      const { newIssue } = await import('./commands/new.js')
      run.code = await newIssue(slug, options, io)
    })
}

/** `masthead dev <issue>`. */
function addDev(program: Command, io: Io, run: Run): void {
  program
    .command('dev')
    .description('live preview of one issue: rebuilds on every save and updates the page (print PDF, email at 600 and 375 px, plain text)')
    .argument('<issue>', 'the issue folder under issues/ (or a path to one)')
    .option('--port <port>', 'port to listen on (default: 0, any free port)')
    .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
    .action(async (issue: string, options: { port?: string; host: string }) => {
      const { dev } = await import('./commands/dev.js')
      run.code = await dev(issue, { port: options.port, host: options.host }, io)
    })
}

/** A parser of a number option of at least `min` (a whole number when `integer`): a usage error otherwise. */
function count(flag: string, min: number, integer: boolean): (value: string) => number {
  return (value) => {
    const number = Number(value)
    if (!Number.isFinite(number) || number < min || (integer && !Number.isInteger(number)))
      throw new UsageError(`Unexpected ${flag} \`${value}\`, expected ${integer ? 'a whole number' : 'a number'} of at least ${min}`)
    return number
  }
}

/** `masthead send <issue>`. */
function addSend(program: Command, io: Io, run: Run): void {
  program
    .command('send')
    .description(
      'send the email edition to a recipient list over SMTP, journaled: --resume continues a stopped or killed send without sending anyone a second copy'
    )
    .argument('<issue>', 'the issue folder under issues/ (or a path to one)')
    .option('--to <recipients.csv>', 'the list: a CSV with `email` and `name` columns; other columns become merge fields')
    .option('--dry-run [folder]', 'write each message as an .eml file (default: dist/<issue>/outbox/) instead of sending')
    .option('--test <address>', "send one copy to this address, personalized as the list's first recipient")
    .option('--resume', 'continue the send recorded in its journal')
    .addOption(
      new Option('--on-bad-rows <policy>', 'rows with no address, a malformed one or a duplicate')
        .choices(['skip', 'refuse'])
        .default('refuse')
    )
    .option('-j, --concurrency <n>', 'SMTP connections (default: config, or 4)', count('--concurrency', 1, true))
    .option('--rate <n>', 'at most this many messages per second (default: config, or no limit)', count('--rate', 0.001, false))
    .option(
      '--max-attempts <n>',
      'tries per recipient on temporary (4xx) failures (default: config, or 5)',
      count('--max-attempts', 1, true)
    )
    .addOption(
      new Option(
        '--unconfirmed <policy>',
        'on resume, a message whose end reached the server but whose reply never came: skip it (at most once) or resend it (at least once)'
      )
        .choices(['skip', 'resend'])
        .default('skip')
    )
    .option('-q, --quiet', 'print the summary and errors only', false)
    .action(
      async (
        issue: string,
        options: {
          to?: string
          dryRun?: string | boolean
          test?: string
          resume?: boolean
          onBadRows: 'skip' | 'refuse'
          concurrency?: number
          rate?: number
          maxAttempts?: number
          unconfirmed: 'skip' | 'resend'
          quiet: boolean
        }
      ) => {
        const controller = new AbortController()
        const stop = () => controller.abort()
        process.once('SIGINT', stop)
        try {
          const { send } = await import('./commands/send.js')
          run.code = await send(issue, { ...options, signal: controller.signal }, io)
        } finally {
          process.off('SIGINT', stop)
        }
      }
    )
}

/** `masthead export <issue>`. */
function addExport(program: Command, io: Io, run: Run): void {
  program
    .command('export')
    .description(
      "write the email edition with a mailing platform's merge tags (greeting, name, unsubscribe link) to dist/<issue>/email.<platform>.html and .txt"
    )
    .argument('<issue>', 'the issue folder under issues/ (or a path to one)')
    .addOption(
      new Option('--for <platform>', 'the platform (default: config `export.platform`)').choices(['mailchimp', 'listmonk', 'generic'])
    )
    .option('--out <folder>', 'where to write (default: dist/<issue>/)')
    .option('-q, --quiet', 'print errors only', false)
    .action(async (issue: string, options: { for?: 'mailchimp' | 'listmonk' | 'generic'; out?: string; quiet: boolean }) => {
      const { exportIssue } = await import('./commands/export.js')
      run.code = await exportIssue(issue, options, io)
    })
}

/** An unexpected error as one line with its causes, or its stack with `MASTHEAD_DEBUG=1`. */
function failureText(error: unknown, debug: boolean, shortenMessage: (text: string) => string): string {
  if (!(error instanceof Error)) return shortenMessage(String(error))
  if (debug) return error.stack ?? error.message
  const causes: string[] = []
  for (let cause: unknown = error.cause; cause instanceof Error && causes.length < 3; cause = cause.cause) {
    if (!error.message.includes(cause.message)) causes.push(cause.message)
  }
  return shortenMessage([error.message, ...causes].join(': ')) + ' (set MASTHEAD_DEBUG=1 for the stack)'
}
