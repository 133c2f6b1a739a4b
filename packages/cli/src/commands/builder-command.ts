import type { VFile } from '@masthead/core'
import type { Builder } from '@masthead/render'
import { createBuilder } from '@masthead/render'
import type { Io, Workspace } from '../context.js'
import { builderOptions, loadWorkspace } from '../context.js'
import { runStoppable, stopChromium, type Stop, type Stoppable } from '../on-signal.js'

/** What a command that builds (`build`, `check`) starts with: its workspace, the files to report so far, and its signal handler. */
export interface BuilderCommand {
  workspace: Workspace
  /** The config's and manifests' files; the command adds each issue's. */
  files: VFile[]
  stop: Stop
}

/**
 * Run a command that builds issues: a signal closes what is open from its first moment
 * (see `runStoppable`), and `run` gets the loaded workspace.
 */
export function runBuilderCommand(options: Stoppable, io: Io, run: (command: BuilderCommand) => Promise<number>): Promise<number> {
  return runStoppable(
    options,
    (text) => io.stderr.write(text),
    async (stop) => {
      const workspace = await loadWorkspace(io)
      return run({ workspace, files: [...workspace.files], stop })
    }
  )
}

/** A command's builder, and its one close (safe to call again). */
export interface OpenedBuilder {
  builder: Builder
  close(): Promise<void>
}

/**
 * Create the command's builder (adopting the early Chromium when it will print) and point
 * the signal handler at it: `before` (a progress line to clear, say), then the builder
 * closes, then the early Chromium, if it was not adopted.
 *
 * @param overrides Command-line print settings over the config.
 */
export async function openBuilder(
  command: BuilderCommand,
  io: Io,
  options: Stoppable,
  settings: { prints: boolean; overrides?: Parameters<typeof builderOptions>[2]; before?: () => void }
): Promise<OpenedBuilder> {
  const builder = await createBuilder(command.workspace.project, {
    ...builderOptions(command.workspace, io, settings.overrides),
    prelaunch: settings.prints && (options.chromium ?? true)
  })
  let closed: Promise<void> | undefined
  const close = () => (closed ??= builder.close())
  command.stop.cleanup = async () => {
    settings.before?.()
    await close()
    await stopChromium(options.chromium)
  }
  return { builder, close }
}
