import type { Lang } from '@masthead/core'
import { labels } from '@masthead/core'

export { labels } from '@masthead/core'

/** A key of {@link labels}. */
export type LabelKey = keyof (typeof labels)['en']

/** True when `key` names a label. */
export function isLabelKey(key: string): key is LabelKey {
  return Object.hasOwn(labels.en, key)
}

/** The language to use for `lang`: `zh-CN` for any Chinese tag, else English. */
export function labelLang(lang: unknown): Lang {
  return typeof lang === 'string' && /^zh\b/i.test(lang) ? 'zh-CN' : 'en'
}
