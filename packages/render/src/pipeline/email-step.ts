import type { Issue } from '@masthead/core'
import { VFile, addError } from '@masthead/core'
import type * as EmailModule from '@masthead/email'
import type { EmailViews } from '@masthead/email'
import type { BuilderOptions, BuilderResult } from '../builder-types.js'
import type { Project } from '../open-project.js'
import type { LoadedLayout } from './load-layout.js'
import { keepFiles, keepMessages, okBesides, since } from './build-result.js'

let emailModule: Promise<typeof EmailModule> | undefined

/**
 * The email edition (`email.html`, `email.txt`, `email.eml` and its images). A failing
 * email step fails the email edition, not the others: an `email-failed` error in its files.
 *
 * @param loaded The layout; its email styles are read on first use and kept with it.
 * @param issue The issue as the email shows it (its links made absolute, see `linkToWebEdition`).
 * @param onViews Called with the email's HTML, text and images as soon as they are final,
 * while the build has no errors outside the print edition.
 */
export async function emailStep(
  project: Project,
  options: BuilderOptions,
  loaded: LoadedLayout,
  issue: Issue,
  result: BuilderResult,
  onViews?: (views: EmailViews) => void
): Promise<void> {
  const start = performance.now()
  const layout = loaded.layout!
  // The email package (MJML, juice, sharp …) is loaded when an email is first built.
  const { buildEmail, loadEmailStyles } = await (emailModule ??= import('@masthead/email'))
  let email: Awaited<ReturnType<typeof buildEmail>>
  try {
    const styles = (loaded.emailStyles ??= await loadEmailStyles(project.paths.styles))
    email = await buildEmail({
      issue,
      render: (emailIssue) => layout.render('email', emailIssue),
      renderText: (emailIssue) => layout.render('text', emailIssue),
      config: { ...options.email, ...(styles ? { styles } : {}) },
      ...(onViews
        ? {
            onViews: (views, files) => {
              if (okBesides(result, 'print', files)) onViews(views)
            }
          }
        : {})
    })
  } catch (error) {
    if (error instanceof TypeError) throw error
    const file = new VFile({ path: issue.source, cwd: project.paths.root })
    addError(file, `Cannot build the email edition: ${(error as Error).message}`, {
      ruleId: 'email-failed',
      source: 'masthead:email',
      cause: error as Error
    })
    keepFiles(result, 'email', [file])
    return
  }
  keepMessages(result, 'email', email.files)
  result.outputs.set('email.html', email.html)
  result.outputs.set('email.txt', email.text)
  result.outputs.set('email.eml', email.eml)
  result.emailAssets = email.assets
  result.timings.email = since(start)
}
