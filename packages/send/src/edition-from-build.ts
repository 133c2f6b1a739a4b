import type { Issue } from '@masthead/core'
import type { EmailAsset, EmailConfig } from '@masthead/email'
import { resolveEmailConfig } from '@masthead/email'
import type { Edition } from './personalize.js'

/** The email build's outputs an edition is made from. */
export interface EmailBuildOutputs {
  issue: Issue
  /** `email.html`, built with `{{ unsubscribe_url }}` as the unsubscribe URL. */
  html: string
  /** `email.txt`. */
  text: string
  /** The build's images: those with a Content-ID become inline parts of every message. */
  assets: readonly EmailAsset[]
}

/**
 * The edition to send, from the email build of an issue (`masthead build`'s email step).
 *
 * @param config The email config the build used: the subject comes from it.
 */
export function editionFromBuild(build: EmailBuildOutputs, config: EmailConfig = {}): Edition {
  const resolved = resolveEmailConfig(build.issue, config)
  return {
    slug: build.issue.slug,
    lang: build.issue.meta.lang,
    subject: resolved.subject,
    html: build.html,
    text: build.text,
    ...(build.issue.meta.url ? { webUrl: build.issue.meta.url } : {}),
    attachments: build.assets.flatMap((asset) =>
      asset.cid ? [{ filename: asset.filename, contentType: asset.contentType, content: asset.content, cid: asset.cid }] : []
    ),
    uploads: build.assets.flatMap((asset) => (asset.cid ? [] : [{ href: asset.href, content: asset.content }]))
  }
}
