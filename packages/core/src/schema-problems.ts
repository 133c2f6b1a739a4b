import type * as v from 'valibot'

/** One valibot issue, read for a positioned message. */
export interface SchemaProblem {
  /** Keys and indices from the root to the value at fault (or to the unexpected key). */
  path: (string | number)[]
  /** The path joined with dots (`email.sender.name`); `''` at the root. */
  label: string
  /** A key that a strict object does not define (`path` ends at it). */
  unexpectedKey: boolean
  /** A required value that is not there. */
  missing: boolean
  /** The value at fault (`undefined` when missing). */
  input: unknown
  /** valibot's message: the schema's own (`expected …`) or valibot's default. */
  message: string
}

/**
 * Read valibot's issues (from `v.safeParse`) into what a message needs: the path to
 * locate (with `locateJson`, or a YAML node), and which kind of problem it is. The config,
 * the section manifests and the frontmatter word their messages from these.
 *
 * @param issues `result.issues` of a failed `v.safeParse`.
 */
export function schemaProblems(issues: readonly v.BaseIssue<unknown>[]): SchemaProblem[] {
  return issues.map((issue) => {
    const path = (issue.path ?? []).map((item) => item.key as string | number)
    return {
      path,
      label: path.join('.'),
      unexpectedKey: issue.kind === 'schema' && issue.type === 'strict_object' && issue.input !== undefined && path.length > 0,
      missing: issue.kind === 'schema' && issue.input === undefined,
      input: issue.input,
      message: issue.message
    }
  })
}
