import type { VFile } from '@masthead/core'
import { addError, warn } from '@masthead/core'
import { CsvError, parse } from 'csv-parse/sync'

const SOURCE = 'masthead:send'

/** One recipient from the list. */
export interface Recipient {
  /** The address as written (trimmed). */
  email: string
  /** The address lowercased: who the recipient is, for duplicates and the journal. */
  key: string
  /** The display name; `''` when the list has none. */
  name: string
  /** Every column of the row by its header (`email`, `name` and the extra ones): merge fields. */
  fields: Record<string, string>
  /** The line of the CSV where the row starts. */
  line: number
}

/** What to do with rows that have no address, a malformed one, or a duplicate. */
export type BadRowPolicy = 'skip' | 'refuse'

/** A row left out, and why. */
export interface SkippedRow {
  line: number
  email: string
  reason: string
}

/** What {@link readRecipients} returns. */
export interface RecipientList {
  recipients: Recipient[]
  /** Rows that were reported (errors with `refuse`, warnings with `skip`). */
  skipped: SkippedRow[]
  /** The headers, in order. */
  columns: string[]
}

const EMAIL_HEADERS = ['email', 'e-mail', 'email address', 'e-mail address', 'mail']
const NAME_HEADERS = ['name', 'full name', 'display name']

/**
 * An address a mail server will take: the WHATWG `<input type=email>` rule (a dot-atom
 * local part, an LDH domain), plus a dot in the domain, since a list of readers has no
 * use for `someone@localhost`.
 */
const ADDRESS = /^[\w.!#$%&'*+/=?^`{|}~-]+@[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)+$/i

/** True when `address` looks deliverable (see the README for the rule). */
export function isAddress(address: string): boolean {
  return ADDRESS.test(address) && !address.startsWith('.') && !address.includes('..') && !/\.@/.test(address)
}

interface ParsedRow {
  record: string[]
  info: { lines: number }
  raw: string
}

/**
 * Read a recipient list: a CSV whose header names at least an `email` column (and, for the
 * greeting, a `name` column); any other column becomes a merge field. Rows without an
 * address, with a malformed one, or repeating an earlier address are reported on `file`
 * with their line: as errors with `refuse` (the caller sends nothing), as warnings with
 * `skip` (the rows are left out).
 *
 * @param file The CSV, its text in `file.value`.
 * @param onBadRows `refuse` (default) or `skip`.
 */
export function readRecipients(file: VFile, onBadRows: BadRowPolicy = 'refuse'): RecipientList {
  const rows = parseRows(file)
  if (!rows) return { recipients: [], skipped: [], columns: [] }
  const [header, ...body] = rows
  const columns = readHeader(file, header)
  if (!columns) return { recipients: [], skipped: [], columns: header ? header.record.map((cell) => cell.trim()) : [] }
  const recipients: Recipient[] = []
  const skipped: SkippedRow[] = []
  const seen = new Map<string, number>()
  const report = onBadRows === 'refuse' ? addError : warn
  for (const row of body) {
    if (row.record.every((cell) => cell.trim() === '')) continue
    const problem = rowProblem(row, columns, seen)
    if (problem) {
      report(file, problem.reason, { ruleId: problem.ruleId, source: SOURCE, place: problem.place })
      skipped.push({ line: problem.place.line, email: problem.email, reason: problem.reason })
      continue
    }
    recipients.push(toRecipient(row, columns, seen))
  }
  return { recipients, skipped, columns: columns.names }
}

/** The header's columns, and where the address and the name are. */
interface Columns {
  names: string[]
  emailAt: number
  nameAt: number
}

/** The CSV's rows, or `undefined` after a `recipients-syntax` error. */
function parseRows(file: VFile): ParsedRow[] | undefined {
  try {
    return parse(String(file.value), {
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n', '\r']
    }) as unknown as ParsedRow[]
  } catch (error) {
    const line = error instanceof CsvError && typeof error.lines === 'number' ? error.lines : 1
    addError(file, `Unexpected CSV: ${(error as Error).message}`, {
      ruleId: 'recipients-syntax',
      source: SOURCE,
      place: { line, column: 1 }
    })
    return undefined
  }
}

/** Read the header line: `undefined` (with an error) when there is none or it has no `email` column. */
function readHeader(file: VFile, header: ParsedRow | undefined): Columns | undefined {
  if (!header) {
    addError(file, 'Unexpected empty recipient list, expected a header line such as `email,name`', {
      ruleId: 'recipients-header',
      source: SOURCE,
      place: { line: 1, column: 1 }
    })
    return undefined
  }
  const names = header.record.map((cell) => cell.trim())
  const headerLine = startLine(header)
  const lower = names.map((column) => column.toLowerCase())
  const emailAt = lower.findIndex((column) => EMAIL_HEADERS.includes(column))
  const nameAt = lower.findIndex((column) => NAME_HEADERS.includes(column))
  const repeated = lower.find((column, index) => column !== '' && lower.indexOf(column) !== index)
  if (repeated) {
    addError(file, `Unexpected second column \`${repeated}\`, expected each column once`, {
      ruleId: 'recipients-header',
      source: SOURCE,
      place: { line: headerLine, column: 1 }
    })
  }
  if (emailAt < 0) {
    addError(file, `Unexpected header \`${names.join(',')}\`, expected an \`email\` column`, {
      ruleId: 'recipients-header',
      source: SOURCE,
      place: { line: headerLine, column: 1 },
      expected: ['email']
    })
    return undefined
  }
  if (nameAt < 0) {
    warn(
      file,
      `Unexpected header without a \`name\` column, expected \`email\` and \`name\`: every greeting will be the one without a name`,
      { ruleId: 'recipients-header', source: SOURCE, place: { line: headerLine, column: 1 } }
    )
  }
  return { names, emailAt, nameAt }
}

/** What is wrong with a row (its field count, its address, a repeat), or `undefined`. */
function rowProblem(
  row: ParsedRow,
  columns: Columns,
  seen: ReadonlyMap<string, number>
): { reason: string; ruleId: string; email: string; place: { line: number; column: number } } | undefined {
  const { names, emailAt } = columns
  const email = (row.record[emailAt] ?? '').trim()
  const place = { line: startLine(row), column: columnOf(row.raw, emailAt) }
  const problem = (reason: string, ruleId: string) => ({ reason, ruleId, email, place })
  if (row.record.length !== names.length) {
    return problem(
      `Unexpected ${row.record.length} fields, expected ${names.length} (${names.join(',')}); quote a value that holds a comma`,
      'recipient-fields'
    )
  }
  if (email === '')
    return problem('Unexpected row without an address, expected one in the `' + names[emailAt] + '` column', 'recipient-missing-address')
  if (!isAddress(email))
    return problem(`Unexpected malformed address \`${email}\`, expected one like \`name@example.org\``, 'recipient-malformed-address')
  const first = seen.get(email.toLowerCase())
  if (first !== undefined) return problem(`Unexpected duplicate address \`${email}\`, first listed on line ${first}`, 'recipient-duplicate')
  return undefined
}

/** A good row as a recipient, its address remembered in `seen`; every column a merge field. */
function toRecipient(row: ParsedRow, columns: Columns, seen: Map<string, number>): Recipient {
  const { names, emailAt, nameAt } = columns
  const line = startLine(row)
  const email = (row.record[emailAt] ?? '').trim()
  const key = email.toLowerCase()
  seen.set(key, line)
  const fields: Record<string, string> = {}
  names.forEach((column, index) => {
    if (column !== '') fields[column] = (row.record[index] ?? '').trim()
  })
  const name = nameAt < 0 ? '' : (row.record[nameAt] ?? '').trim()
  fields['email'] = email
  fields['name'] = name
  return { email, key, name, fields, line }
}

/** csv-parse counts the line where a record ends; a quoted value may span lines. */
function startLine(row: ParsedRow): number {
  const own = row.raw.replace(/^[\r\n]+/, '').replace(/(?:\r\n|\n|\r)$/, '')
  return row.info.lines - (own.match(/\r\n|\n|\r/g)?.length ?? 0)
}

/** The 1-based column where field `index` starts in the raw row (plain CSV rules). */
function columnOf(raw: string, index: number): number {
  const text = raw.replace(/^[\r\n]+/, '')
  let field = 0
  let quoted = false
  for (let at = 0; at < text.length; at++) {
    if (field === index) return at + 1
    const char = text[at]
    if (char === '"') quoted = !quoted
    else if (char === ',' && !quoted) field++
  }
  return 1
}
