import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { LiveView, PreviewState } from './live-build.js'
import type { Mount } from './preview-html.js'
import { fontStylesheet, previewEmailHtml, previewPrintHtml } from './preview-html.js'
import { COMMON_HEADERS, contentType, send, serveFile } from './serve-file.js'

/** Options for {@link startPreviewServer}. */
export interface PreviewServerOptions {
  live: LiveView
  mounts: readonly Mount[]
  /** Default `127.0.0.1`. */
  host?: string
  /** Default 0: a free port. */
  port?: number
}

/** A running preview server. */
export interface PreviewServer {
  /** `http://127.0.0.1:PORT/`. */
  url: string
  port: number
  /** Close the server and every open connection (the pages' event streams too). */
  close(): Promise<void>
}

/** The page's own files: plain HTML, CSS and JS, no bundler. */
const CLIENT_DIR = fileURLToPath(new URL('../../src/dev/client/', import.meta.url))
const CLIENT_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/preview.css': 'preview.css',
  '/preview.js': 'preview.js'
}

/**
 * The decoded segments of a request's path, or `undefined` for one that tries to leave
 * what the server serves (`..`, `.`, encoded slashes, NUL).
 */
export function pathSegments(url: string): string[] | undefined {
  const pathname = url.split(/[?#]/, 1)[0] ?? ''
  if (!pathname.startsWith('/') || pathname.includes('\\')) return undefined
  const segments: string[] = []
  for (const raw of pathname.split('/').slice(1)) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return undefined
    }
    if (segment === '..' || segment === '.' || /[/\\\0]/.test(segment)) return undefined
    segments.push(segment)
  }
  return segments
}

/** What a request is answered from. */
interface Served {
  live: LiveView
  mounts: readonly Mount[]
  streams: EventStreams
  /** The `Host` headers the server answers to. */
  allowedHosts(): Set<string>
}

/** The pages' event streams: each gets the state on every change, and a keep-alive comment every 15 s. */
interface EventStreams {
  /** Answer `request` with the event stream, starting with the current state. */
  open(request: IncomingMessage, response: ServerResponse): void
  close(): void
}

const stateEvent = (state: PreviewState) => `event: state\ndata: ${JSON.stringify(state)}\n\n`

function createEventStreams(live: LiveView): EventStreams {
  const streams = new Set<ServerResponse>()
  const unsubscribe = live.subscribe((state) => {
    const event = stateEvent(state)
    for (const stream of streams) stream.write(event)
  })
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n')
  }, 15_000)
  heartbeat.unref()
  return {
    open(request, response) {
      response.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' })
      if (request.method === 'HEAD') {
        response.end()
        return
      }
      response.write(`retry: 500\n\n${stateEvent(live.state)}`)
      streams.add(response)
      request.on('close', () => streams.delete(response))
    },
    close() {
      unsubscribe()
      clearInterval(heartbeat)
      for (const stream of streams) stream.end()
      streams.clear()
    }
  }
}

/**
 * Start the preview server on 127.0.0.1: the page, its event stream, the built views and
 * the files they link. GET and HEAD only; nothing outside the mounts.
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const host = options.host ?? '127.0.0.1'
  let port = 0
  const served: Served = {
    live: options.live,
    mounts: options.mounts,
    streams: createEventStreams(options.live),
    allowedHosts: () => new Set([`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
  }
  const server = createServer((request, response) => {
    handle(served, request, response).catch((error: unknown) => {
      if (!response.headersSent)
        send(
          request,
          response,
          500,
          'text/plain; charset=utf-8',
          `Internal error: ${error instanceof Error ? error.message : String(error)}\n`
        )
      else response.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    async close() {
      served.streams.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}

/** Answer one request: the page's own files, its event stream and state, the views, their images and the mounted folders. */
async function handle(served: Served, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { live } = served
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(
      request,
      response,
      405,
      'text/plain; charset=utf-8',
      `Method ${request.method ?? ''} not allowed: the preview only reads (GET, HEAD)\n`,
      { allow: 'GET, HEAD' }
    )
    return
  }
  // A page on another site cannot reach us through a name that resolves to 127.0.0.1.
  if (!served.allowedHosts().has(request.headers.host ?? '')) {
    send(request, response, 403, 'text/plain; charset=utf-8', 'Forbidden host\n')
    return
  }
  const url = request.url ?? '/'
  const segments = pathSegments(url)
  if (!segments) {
    send(request, response, 403, 'text/plain; charset=utf-8', 'Forbidden path\n')
    return
  }
  const route = '/' + segments.join('/')
  const client = CLIENT_FILES[route]
  if (client) {
    send(request, response, 200, contentType(client), await readFile(CLIENT_DIR + client))
    return
  }
  if (route === '/events') {
    served.streams.open(request, response)
    return
  }
  if (route === '/state.json') {
    send(request, response, 200, 'application/json; charset=utf-8', JSON.stringify(live.state))
    return
  }
  const view = serveView(served, route) ?? serveImage(live, segments)
  if (view) {
    send(request, response, 200, view.type, view.body, view.headers ?? {})
    return
  }
  if (segments[0] === 'files' && segments.length >= 3) {
    const mount = served.mounts.find((candidate) => candidate.name === segments[1])
    if (mount && (await serveFile(request, response, mount, segments.slice(2)))) return
  }
  send(request, response, 404, 'text/plain; charset=utf-8', `Not found: ${route}\n`)
}

/** A response body with its type and extra headers. */
interface View {
  type: string
  body: string | Uint8Array
  headers?: Record<string, string>
}

/** An image of the web edition (`/web/images/…`) or of the email (`/email-assets/…`). */
function serveImage(live: LiveView, segments: readonly string[]): View | undefined {
  // The web edition at /web/: its images beside it, its "Download the PDF" the preview's PDF.
  if (segments[0] === 'web' && segments[1] === 'images' && segments.length === 3) {
    const image = live.webImages?.get(segments[2]!)
    // The name carries a hash of the source: the same name is the same bytes.
    if (image) return { type: 'image/webp', body: image, headers: { 'cache-control': 'max-age=600' } }
  }
  if (segments[0] === 'email-assets' && segments.length === 2) {
    const asset = live.assets.get(segments[1]!)
    // A Content-ID carries a hash of the image: the same name is the same bytes.
    if (asset) return { type: asset.contentType, body: asset.content, headers: { 'cache-control': 'max-age=600' } }
  }
  return undefined
}

/** The built view at `route`, as the preview shows it; undefined when there is none (yet). */
function serveView(served: Served, route: string): View | undefined {
  const { live, mounts } = served
  const output = (name: Parameters<typeof live.outputs.get>[0]) => live.outputs.get(name)?.body
  switch (route) {
    case '/print.html': {
      const body = output('print.html')
      return body === undefined ? undefined : { type: 'text/html; charset=utf-8', body: previewPrintHtml(String(body), mounts) }
    }
    case '/fonts.css': {
      const html = output('print.html')
      return { type: 'text/css; charset=utf-8', body: html === undefined ? '' : fontStylesheet(String(html), mounts) }
    }
    case '/print.pdf':
    case '/web/print.pdf': {
      const body = output('print.pdf')
      return body === undefined
        ? undefined
        : { type: 'application/pdf', body, headers: { 'content-disposition': `inline; filename="${live.state.slug}.pdf"` } }
    }
    case '/email.html': {
      const body = output('email.html')
      return body === undefined ? undefined : { type: 'text/html; charset=utf-8', body: previewEmailHtml(String(body)) }
    }
    case '/web':
    case '/web/': {
      // Its images and PDF are relative to the page: /web/images/…, /web/print.pdf.
      const body = output('index.html')
      return body === undefined
        ? undefined
        : { type: 'text/html; charset=utf-8', body: String(body).replace(/<head>/i, '<head><base href="/web/">') }
    }
    case '/email.txt': {
      const body = output('email.txt')
      return body === undefined ? undefined : { type: 'text/plain; charset=utf-8', body }
    }
    case '/email.eml': {
      const body = output('email.eml')
      return body === undefined
        ? undefined
        : { type: 'message/rfc822', body, headers: { 'content-disposition': `attachment; filename="${live.state.slug}.eml"` } }
    }
    default:
      return undefined
  }
}
