import type { VFile } from '@masthead/core'
import { addError, hasErrors, pointAt, warn } from '@masthead/core'
import { createBuilder } from '@masthead/render'
import type { Edition, MergeTarget } from '@masthead/send'
import { UNSUBSCRIBE_FIELD, editionFromBuild, mergeFieldsOf, translateMergeTags } from '@masthead/send'
import type { Io, Workspace } from '../context.js'
import { builderOptions } from '../context.js'

/** Merge fields every send fills, whatever the list's columns. */
const BUILT_IN_FIELDS = ['email', 'name', 'greeting', 'unsubscribe_url']

/**
 * Build an issue's email edition for sending or export: once, with `{{ unsubscribe_url }}`
 * as its unsubscribe URL, filled per recipient (or turned into a platform's merge tag) later.
 *
 * @param files Receives the build's messages.
 * @returns The edition, or `undefined` when the build had errors.
 */
export async function emailEdition(workspace: Workspace, slug: string, io: Io, files: VFile[]): Promise<Edition | undefined> {
  const options = builderOptions(workspace, io)
  options.email = { ...options.email, unsubscribeUrl: UNSUBSCRIBE_FIELD }
  const builder = await createBuilder(workspace.project, options)
  try {
    const result = await builder.build(slug, { editions: ['email'] })
    for (const file of result.files) if (!files.includes(file)) files.push(file)
    const html = result.outputs.get('email.html')
    const text = result.outputs.get('email.txt')
    if (!result.issue || hasErrors(result.files) || typeof html !== 'string' || typeof text !== 'string') return undefined
    return editionFromBuild({ issue: result.issue, html, text, assets: result.emailAssets }, options.email)
  } finally {
    await builder.close()
  }
}

/** Where `text` is written in `source`, allowing the backslashes Markdown needs before `*` and `[`. */
function findInSource(source: string, text: string): number {
  const pattern = [...text].map((char) => (/[\w\s]/.test(char) ? char : `\\\\?\\${char}`)).join('')
  return source.search(new RegExp(pattern))
}

/**
 * Check the merge tags of an edition against where it goes, on the issue source where each
 * is written:
 * - another platform's tag with no equivalent in the target (`*|MC:SUBJECT|*` in a
 *   listmonk export): a warning for an export (it is exported as written), an error for
 *   an SMTP send (nothing would fill it: every reader would get it as written);
 * - a merge field (`{{ field }}`, or a tag translated into one) that neither the list's
 *   columns nor the built-in fields provide: a warning, it is sent as written.
 *
 * @param columns The list's headers; empty for an export (only the built-in fields).
 * @param target `smtp` for `masthead send`, or the export's platform.
 */
export function checkMergeFields(
  edition: Edition,
  issueFile: VFile | undefined,
  columns: readonly string[],
  target: MergeTarget = 'smtp'
): void {
  if (!issueFile) return
  const lowerColumns = columns.map((column) => column.toLowerCase())
  const names = {
    first_name: ['first_name', 'fname', 'firstname', 'given_name'],
    last_name: ['last_name', 'lname', 'lastname', 'family_name', 'surname']
  }
  const derived = [
    'update_profile_url',
    ...(target !== 'smtp' || edition.webUrl ? ['archive_url'] : []),
    ...Object.entries(names).flatMap(([field, aliases]) =>
      target !== 'smtp' || aliases.some((alias) => lowerColumns.includes(alias)) ? [field] : []
    )
  ]
  const known = new Set([...BUILT_IN_FIELDS, ...derived, ...lowerColumns])
  const source = String(issueFile.value ?? '')
  const at = (text: string) => {
    const found = findInSource(source, text)
    return found >= 0 ? { place: pointAt(source, found) } : {}
  }
  const parts = [edition.subject, edition.html, edition.text].map((part) => translateMergeTags(part, target))
  const reported = new Set<string>()
  for (const tag of parts.flatMap((part) => part.foreign)) {
    if (tag.field !== undefined || reported.has(tag.tag)) continue
    reported.add(tag.tag)
    const options = { ruleId: 'foreign-merge-tag', source: 'masthead:send', ...at(tag.tag) }
    if (target === 'smtp') {
      addError(
        issueFile,
        `Unexpected ${tag.platform} merge tag \`${tag.tag}\` in an SMTP send, expected one Masthead fills (\`{{ unsubscribe_url }}\`, \`*|UNSUB|*\`, \`*|EMAIL|*\`, \`*|UPDATE_PROFILE|*\`…) or a column of the list; nothing would fill it, so nothing is sent`,
        options
      )
    } else {
      warn(
        issueFile,
        `Unexpected ${tag.platform} merge tag \`${tag.tag}\` in an export for ${target}, expected one with a ${target} equivalent; it is exported as written`,
        options
      )
    }
  }
  for (const field of mergeFieldsOf(parts.map((part) => part.text).join(''))) {
    if (known.has(field.toLowerCase())) continue
    const found = source.search(new RegExp(`\\{\\{\\s*${field.replace(/[.]/g, '\\.')}\\s*\\}\\}`))
    warn(
      issueFile,
      `Unexpected merge field \`{{ ${field} }}\`, expected a column of the recipient list or one of ${[...BUILT_IN_FIELDS, ...derived].map((name) => '`' + name + '`').join(', ')}; it is sent as written`,
      {
        ruleId: 'unknown-merge-field',
        source: 'masthead:send',
        ...(found >= 0 ? { place: pointAt(source, found) } : {})
      }
    )
  }
}
