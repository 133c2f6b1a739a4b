/**
 * Mailing platforms' merge tags in an edition, and their translation into the target it is
 * sent through. An editor may write a Mailchimp tag (`*|UPDATE_PROFILE|*`) and send the
 * issue over SMTP or export it for listmonk, where that tag means nothing and would reach
 * every reader as written. Each tag with a known meaning becomes the Masthead merge field
 * of that meaning (`{{ update_profile_url }}`), which the SMTP send fills per recipient and
 * an export writes in its platform's tags; a tag without one is reported.
 */

/** Where an edition goes: a platform's export, or Masthead's own SMTP send. */
export type MergeTarget = 'mailchimp' | 'listmonk' | 'generic' | 'smtp'

/** A merge tag of another platform than the target's. */
export interface ForeignMergeTag {
  tag: string
  /** The platform whose syntax it is written in. */
  platform: string
  /** The Masthead merge field it was translated into, or `undefined` when none is known. */
  field: string | undefined
}

interface Syntax {
  platform: string
  /** The target that reads this syntax natively (its tags stay as they are there). */
  native: MergeTarget | undefined
  pattern: RegExp
  /** Known tags, by their text with white space removed and letters upper-cased. */
  meanings: Readonly<Record<string, string>>
}

const key = (tag: string) => tag.replace(/\s+/g, '').toUpperCase()

/** Every syntax recognized, with the tags whose meaning Masthead knows. */
const SYNTAXES: readonly Syntax[] = [
  {
    platform: 'Mailchimp',
    native: 'mailchimp',
    pattern: /\*\|[A-Z0-9_:-]{1,100}(?:\|[^|*<>\r\n]{0,100})?\|\*/g,
    meanings: {
      '*|UNSUB|*': 'unsubscribe_url',
      '*|EMAIL|*': 'email',
      '*|FNAME|*': 'first_name',
      '*|LNAME|*': 'last_name',
      '*|UPDATE_PROFILE|*': 'update_profile_url',
      '*|ARCHIVE|*': 'archive_url'
    }
  },
  {
    platform: 'listmonk',
    native: 'listmonk',
    // Go templates: `{{ .Subscriber.Email }}`, `{{ UnsubscribeURL }}`, `{{ if … }}`; not
    // `{{ name }}`, which is a Masthead merge field (and a list column).
    pattern:
      /\{\{-?\s*(?:\.[A-Za-z][\w.]*|(?:UnsubscribeURL|ManageURL|MessageURL|OptinURL|TrackView|TrackLink|L\.T|Safe|Date)\b[^{}<>\r\n]*|(?:if|else|end|range|with|template)\b[^{}<>\r\n]*)\s*-?\}\}/g,
    meanings: {
      '{{UNSUBSCRIBEURL}}': 'unsubscribe_url',
      '{{.SUBSCRIBER.EMAIL}}': 'email',
      '{{.SUBSCRIBER.NAME}}': 'name',
      '{{.SUBSCRIBER.FIRSTNAME}}': 'first_name',
      '{{.SUBSCRIBER.LASTNAME}}': 'last_name',
      '{{MANAGEURL}}': 'update_profile_url',
      '{{MESSAGEURL}}': 'archive_url'
    }
  },
  {
    platform: 'SendGrid/Postmark',
    native: undefined,
    pattern: /\{\{\{[^{}<>\r\n]{1,200}\}\}\}/g,
    meanings: { '{{{UNSUBSCRIBE}}}': 'unsubscribe_url', '{{{EMAIL}}}': 'email' }
  },
  {
    platform: 'Liquid',
    native: undefined,
    pattern: /\{%[^%<>\r\n]{1,200}%\}/g,
    meanings: { '{%UNSUBSCRIBE_LINK%}': 'unsubscribe_url', '{%UNSUBSCRIBE_URL%}': 'unsubscribe_url' }
  },
  {
    platform: 'Salesforce/Campaign Monitor',
    native: undefined,
    pattern: /%%=?[^%\s<>][^%<>\r\n]{0,200}?=?%%/g,
    meanings: { '%%UNSUBSCRIBE%%': 'unsubscribe_url', '%%EMAILADDR%%': 'email', '%%VIEW_EMAIL_URL%%': 'archive_url' }
  },
  {
    platform: 'Sendy/Campaign Monitor',
    native: undefined,
    pattern: /\[(?:unsubscribe|webversion|preferences|email|name|firstname)\]/gi,
    meanings: {
      '[UNSUBSCRIBE]': 'unsubscribe_url',
      '[WEBVERSION]': 'archive_url',
      '[PREFERENCES]': 'update_profile_url',
      '[EMAIL]': 'email',
      '[NAME]': 'name',
      '[FIRSTNAME]': 'first_name'
    }
  }
]

/**
 * Translate the merge tags of other platforms in `text` into Masthead merge fields
 * (`{{ field }}`) for `target`: a tag the target reads natively stays, a tag with a known
 * meaning becomes that field, any other stays as written and is returned in `foreign`
 * with `field: undefined`.
 *
 * @param text HTML or text of the edition.
 * @param target Where the edition goes.
 */
export function translateMergeTags(text: string, target: MergeTarget): { text: string; foreign: ForeignMergeTag[] } {
  const foreign = new Map<string, ForeignMergeTag>()
  let out = text
  for (const syntax of SYNTAXES) {
    if (syntax.native === target) continue
    out = out.replace(syntax.pattern, (tag) => {
      const field = syntax.meanings[key(tag)]
      if (!foreign.has(tag)) foreign.set(tag, { tag, platform: syntax.platform, field })
      return field ? `{{ ${field} }}` : tag
    })
  }
  return { text: out, foreign: [...foreign.values()] }
}
