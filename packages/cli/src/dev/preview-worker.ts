import { parentPort, workerData } from 'node:worker_threads'
import type { Output, PreviewState, ServedAsset, ViewName } from './live-build.js'
import type { Mount } from './preview-html.js'
import { startPreviewServer } from './preview-server.js'

/** What the main thread tells the server thread. */
export type ToWorker =
  | { type: 'output'; name: ViewName; output: Output }
  | { type: 'assets'; assets: [string, ServedAsset][] }
  | { type: 'web-images'; images: [string, Uint8Array][] }
  | { type: 'state'; state: PreviewState }
  | { type: 'close' }

/** What the server thread tells the main thread. */
export type FromWorker =
  { type: 'listening'; url: string; port: number } | { type: 'failed'; message: string; code?: string } | { type: 'closed' }

/** The options the thread is started with. */
export interface WorkerOptions {
  mounts: Mount[]
  host: string
  port: number
  state: PreviewState
}

// The preview server on a thread of its own: it answers the page (the views, their fonts
// and images) while the main thread is busy building.
const port = parentPort!
const options = workerData as WorkerOptions
const outputs = new Map<ViewName, Output>()
const assets = new Map<string, ServedAsset>()
const webImages = new Map<string, Uint8Array>()
const listeners = new Set<(state: PreviewState) => void>()
const view = {
  state: options.state,
  outputs,
  assets,
  webImages,
  subscribe(listener: (state: PreviewState) => void) {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
}
const post = (message: FromWorker) => port.postMessage(message)

try {
  const server = await startPreviewServer({ live: view, mounts: options.mounts, host: options.host, port: options.port })
  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'output':
        outputs.set(message.name, message.output)
        break
      case 'assets':
        assets.clear()
        for (const [key, asset] of message.assets) assets.set(key, asset)
        break
      case 'web-images':
        webImages.clear()
        for (const [name, image] of message.images) webImages.set(name, image)
        break
      case 'state':
        view.state = message.state
        for (const listener of listeners) listener(message.state)
        break
      case 'close':
        void server.close().then(() => {
          post({ type: 'closed' })
          port.close()
        })
        break
    }
  })
  post({ type: 'listening', url: server.url, port: server.port })
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), ...(code ? { code } : {}) })
  port.close()
}
