import type { Content } from '@masthead/core'

/** A mailing platform's merge tag: `*|UNSUB|*`, `*|FNAME|*`, `*|UPDATE_PROFILE|*`. */
const mergeTag = /\*\|[A-Z0-9_:]+\|\*/

const paragraphs = /<p>(?:(?!<\/p>)[\s\S])*<\/p>\n?/g

/**
 * Leave out of `content` the paragraphs that hold a merge tag (“Reply to this email or
 * update your preferences: *|UPDATE_PROFILE|*”): they only make sense in the email.
 * The print edition uses this; the email edition keeps them.
 */
export function dropMergeTags(content: Content): Content {
  if (!mergeTag.test(content.html)) return content
  return {
    html: content.html.replace(paragraphs, (paragraph) => (mergeTag.test(paragraph) ? '' : paragraph)),
    text: content.text
      .split(/\n{2,}/)
      .filter((block) => !mergeTag.test(block))
      .join('\n\n')
  }
}
