import type { VFile } from '@masthead/core'
import { hasErrors, pointAt, warn } from '@masthead/core'
import { createBuilder } from '@masthead/render'
import type { Edition } from '@masthead/send'
import { UNSUBSCRIBE_FIELD, editionFromBuild, mergeFieldsOf } from '@masthead/send'
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

/**
 * Warn, on the issue source where it is written, about each merge field the edition uses
 * that neither the list's columns nor the built-in fields provide (it would be sent as written).
 *
 * @param columns The list's headers; `undefined` to allow only the built-in fields.
 */
export function checkMergeFields(edition: Edition, issueFile: VFile | undefined, columns: readonly string[]): void {
  if (!issueFile) return
  const known = new Set([...BUILT_IN_FIELDS, ...columns.map((column) => column.toLowerCase())])
  const source = String(issueFile.value ?? '')
  for (const field of mergeFieldsOf(edition.subject + edition.html + edition.text)) {
    if (known.has(field.toLowerCase())) continue
    const at = source.search(new RegExp(`\\{\\{\\s*${field.replace(/[.]/g, '\\.')}\\s*\\}\\}`))
    warn(issueFile, `Unexpected merge field \`{{ ${field} }}\`, expected a column of the recipient list or one of ${BUILT_IN_FIELDS.map((name) => '`' + name + '`').join(', ')}; it is sent as written`, {
      ruleId: 'unknown-merge-field',
      source: 'masthead:send',
      ...(at >= 0 ? { place: pointAt(source, at) } : {})
    })
  }
}
