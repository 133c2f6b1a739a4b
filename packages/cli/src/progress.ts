import type { Io } from './context.js'

/** Shows which issues are being built and for how long. */
export interface Progress {
  start(slug: string): void
  /** A finished issue's line (or another line, without `slug`), printed above the live line; the issue `slug` leaves the live line. */
  done(line: string, slug?: string): void
  stop(): void
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/**
 * Progress for long builds. On a TTY one live line redraws ("⠹ building a, b · 1.4 s");
 * elsewhere (CI, pipes) it degrades to one plain line per event.
 */
export function createProgress(io: Io, quiet: boolean): Progress {
  const active = new Map<string, number>()
  let frame = 0
  let timer: NodeJS.Timeout | undefined
  const clear = () => io.tty && io.stderr.write('\r\u001B[2K')
  const draw = () => {
    if (!io.tty || active.size === 0) return
    const oldest = Math.min(...active.values())
    const seconds = ((performance.now() - oldest) / 1000).toFixed(1)
    clear()
    io.stderr.write(`${FRAMES[frame++ % FRAMES.length]} building ${[...active.keys()].join(', ')} · ${seconds} s`)
  }
  return {
    start(slug) {
      active.set(slug, performance.now())
      if (quiet) return
      if (io.tty) {
        timer ??= setInterval(draw, 80)
        draw()
      } else {
        io.stderr.write(`… building ${slug}\n`)
      }
    },
    done(line, slug) {
      // By the exact name: `2021` still building is not `2021-05` done.
      if (slug !== undefined) active.delete(slug)
      if (quiet && !line.startsWith('✗')) return
      clear()
      io.stderr.write(line + '\n')
      draw()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      clear()
    }
  }
}
