import type { Lang } from '@masthead/core'

/**
 * Every word the templates print that does not come from the issue, per language.
 * Templates read them with `{{label "source"}}`; add a key here and in both languages.
 */
export const labels = {
  en: {
    contents: 'Contents',
    source: 'Source',
    contributor: 'Contributed by',
    byline: 'By',
    bylineBefore: 'By ',
    date: 'Date',
    place: 'Place',
    link: 'Read more',
    people: 'Contact',
    phone: 'Phone',
    fax: 'Fax',
    email: 'Email',
    web: 'Web',
    address: 'Address',
    scan: 'Scan to visit',
    publisher: 'Published by',
    issue: 'Issue',
    page: 'Page',
    continued: 'continued',
    contentsContinued: 'Contents (continued)',
    colon: ': ',
    listSeparator: ', ',
    quoteOpen: '“',
    quoteClose: '”',
    skipToContent: 'Skip to the articles',
    downloadPdf: 'Download the PDF',
    allIssues: 'All issues',
    readIssue: 'Read the issue'
  },
  'zh-CN': {
    contents: '目录',
    source: '来源',
    contributor: '供稿',
    byline: '作者',
    bylineBefore: '作者：',
    date: '日期',
    place: '地点',
    link: '阅读全文',
    people: '联系人',
    phone: '电话',
    fax: '传真',
    email: '邮箱',
    web: '网址',
    address: '地址',
    scan: '扫码访问',
    publisher: '主办',
    issue: '期号',
    page: '页',
    continued: '续',
    contentsContinued: '目录（续）',
    colon: '：',
    listSeparator: '、',
    quoteOpen: '“',
    quoteClose: '”',
    skipToContent: '跳到正文',
    downloadPdf: '下载PDF版',
    allIssues: '往期通讯',
    readIssue: '阅读本期'
  }
} as const satisfies Record<Lang, Record<string, string>>

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
