import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { addError } from '@masthead/core'
import { PLATFORMS, exportEdition } from '@masthead/send'
import type { Io } from '../context.js'
import { EXIT, UsageError, loadWorkspace, openIssueCommand } from '../context.js'
import { checkMergeFields, emailEdition } from './email-edition.js'

/** The platforms `export --for` takes. */
export type PlatformName = keyof typeof PLATFORMS

/** Options of `masthead export`. */
export interface ExportCommandOptions {
  for?: PlatformName
  /** The folder to write to (default: `dist/<issue>/`). */
  out?: string
  quiet?: boolean
}

/**
 * `masthead export <issue> --for mailchimp|listmonk|generic`: write the email edition's
 * HTML and text with the platform's merge tags for the greeting, the name and the
 * unsubscribe link, as `email.<platform>.html` and `email.<platform>.txt`. Images must be
 * URL assets (`email.assets.mode: "url"`): they are written to `email-assets/` for upload;
 * an export with `cid:` images is refused (exit 1, nothing written).
 *
 * @returns 0, 1 on errors in the sources, 2 on bad usage.
 */
export async function exportIssue(name: string, options: ExportCommandOptions, io: Io): Promise<number> {
  const workspace = await loadWorkspace(io)
  const platform = options.for ?? workspace.config.export?.platform
  if (!platform)
    throw new UsageError(
      'Unexpected `export` without a platform, expected --for mailchimp, listmonk or generic (or `export.platform` in masthead.config.json)'
    )
  const { files, done, slug } = await openIssueCommand(workspace, name, io, options.quiet === true)
  if (slug === undefined) return done(EXIT.errors)
  const edition = await emailEdition(workspace, slug, io, files)
  if (!edition) return done(EXIT.errors)
  const issueFile = files.find((file) => file.path?.endsWith('issue.md'))
  checkMergeFields(edition, issueFile, [], platform)
  if (edition.attachments.length > 0) {
    // A platform sends the HTML as it is: a `cid:` image would point at a part that is not there.
    const names = edition.attachments.map((attachment) => `\`${attachment.filename}\``).join(', ')
    const reason = `Unexpected images embedded as \`cid:\` parts (${names}) in an export for ${platform}, expected absolute URLs: set \`email.assets\` to { "mode": "url", "baseUrl": "https://…/" } in masthead.config.json; the export then writes the images to upload there`
    if (issueFile) addError(issueFile, reason, { ruleId: 'export-cid-images', source: 'masthead:send' })
    else io.stderr.write(`${reason}\n`)
    return done(EXIT.errors)
  }
  const greeting = workspace.config.send?.greeting
  const exported = exportEdition(edition, PLATFORMS[platform], greeting)
  const out = options.out
    ? path.resolve(io.cwd, options.out)
    : workspace.config.export?.out
      ? path.resolve(workspace.project.paths.root, workspace.config.export.out, edition.slug)
      : path.join(workspace.project.paths.dist, edition.slug)
  await mkdir(out, { recursive: true })
  const written = [path.join(out, `email.${platform}.html`), path.join(out, `email.${platform}.txt`)]
  await writeFile(written[0]!, exported.html)
  await writeFile(written[1]!, exported.text)
  const uploads = edition.uploads ?? []
  if (uploads.length > 0) {
    const folder = path.join(out, 'email-assets')
    await mkdir(folder, { recursive: true })
    for (const upload of uploads) {
      const file = path.join(folder, path.posix.basename(new URL(upload.href).pathname))
      await writeFile(file, upload.content)
      written.push(file)
    }
  }
  const uploadNote =
    uploads.length > 0
      ? `\n  Upload the files in ${path.relative(io.cwd, path.join(out, 'email-assets')) || '.'}/ to ${new URL('.', uploads[0]!.href).href} before sending.`
      : ''
  io.stdout.write(
    `✓ ${edition.slug} for ${platform} (subject: ${exported.subject})\n${written.map((file) => `    ${path.relative(io.cwd, file)}`).join('\n')}${uploadNote}\n`
  )
  return done(EXIT.ok)
}
