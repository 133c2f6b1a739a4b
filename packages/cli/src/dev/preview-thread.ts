import { Worker } from 'node:worker_threads'
import type { LiveBuild, PreviewState, ViewName } from './live-build.js'
import { VIEW_NAMES } from './live-build.js'
import type { PreviewServer, PreviewServerOptions } from './preview-server.js'
import { startPreviewServer } from './preview-server.js'
import type { FromWorker, ToWorker, WorkerOptions } from './preview-worker.js'

/** A server failed to start (the port is taken, the address is not this machine's). */
export class ListenError extends Error {
  override name = 'ListenError'
  readonly code: string | undefined
  constructor(message: string, code: string | undefined) {
    super(message)
    this.code = code
  }
}

/**
 * Start the preview server on a worker thread, fed with the live build's state and
 * outputs, so the page's requests are answered while a build holds the main thread.
 * Run from TypeScript sources (tests), it starts on the main thread instead.
 */
export async function startPreviewThread(options: PreviewServerOptions & { live: LiveBuild }): Promise<PreviewServer> {
  const workerUrl = new URL('./preview-worker.js', import.meta.url)
  if (import.meta.url.endsWith('.ts')) {
    try {
      return await startPreviewServer(options)
    } catch (error) {
      throw new ListenError(error instanceof Error ? error.message : String(error), (error as NodeJS.ErrnoException).code)
    }
  }
  const { live } = options
  const workerData: WorkerOptions = {
    mounts: [...options.mounts],
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    state: live.state
  }
  const worker = new Worker(workerUrl, { workerData })
  const send = (message: ToWorker) => worker.postMessage(message)
  const listening = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    worker.once('error', reject)
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'listening') resolve(message)
      else if (message.type === 'failed') reject(new ListenError(message.message, message.code))
    })
  })

  // Outputs go first, then the state that names them, so the page never asks too early.
  const sent = new Map<ViewName, number>()
  const forward = (state: PreviewState) => {
    for (const name of VIEW_NAMES) {
      const output = live.outputs.get(name)
      if (!output || sent.get(name) === output.round) continue
      sent.set(name, output.round)
      send({ type: 'output', name, output })
      if (name === 'email.html')
        send({
          type: 'assets',
          assets: [...live.assets].map(([key, asset]) => [key, { contentType: asset.contentType, content: asset.content }])
        })
      if (name === 'index.html') send({ type: 'web-images', images: [...(live.webImages ?? [])] })
    }
    send({ type: 'state', state })
  }
  const unsubscribe = live.subscribe(forward)
  forward(live.state)

  return {
    url: listening.url,
    port: listening.port,
    async close() {
      unsubscribe()
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (message: FromWorker) => {
          if (message.type === 'closed') resolve()
        })
        worker.once('exit', () => resolve())
      })
      send({ type: 'close' })
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())])
      await worker.terminate()
    }
  }
}
