// The live preview page of `masthead dev`: plain JS, no framework, no bundler.
// The server tells the page about every rebuild through server-sent events (`/events`):
// an HTML view whose round went up is patched in place (only what changed), the PDF and a
// view whose styles changed are reloaded off screen and swapped in at the old scroll
// position; errors show in an overlay over the last good views.

/** @typedef {{ line: number, text: string, marked: boolean }} FrameLine */
/** @typedef {{ severity: 'error' | 'warning' | 'info', file: string, line: number | null, column: number | null, where: string, message: string, ruleId: string | null, source: string | null, frame: FrameLine[], cause?: { where: string, message: string } }} Problem */
/** @typedef {{ slug: string, title: string, round: number, views: Record<string, number>, busy: { html: boolean, pdf: boolean }, timings: { html: number | null, email: number | null, pdf: number | null }, problems: Problem[], errors: number, changed: string[] }} State */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id))

/** @type {Map<string, Promise<string>>} */
const texts = new Map()

/** The text at `url`, fetched once for all the views that show it (the email at 600 and 375 px). @param {string} url */
function fetchText(url) {
  let text = texts.get(url)
  if (!text) {
    text = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`)
      return response.text()
    })
    texts.set(url, text)
    text.catch(() => texts.delete(url))
    // Versions only go up: keep the last few.
    if (texts.size > 8) texts.delete(/** @type {string} */ (texts.keys().next().value))
  }
  return text
}

/** A frame that reloads without flashing: the new document loads behind the old one. */
class LiveFrame {
  /** @param {HTMLElement} stack */
  constructor(stack) {
    this.stack = stack
    this.src = stack.dataset.src ?? ''
    this.kind = stack.dataset.kind ?? 'html'
    this.title = stack.dataset.title ?? ''
    /** @type {HTMLIFrameElement | undefined} */
    this.current = undefined
    /** @type {HTMLIFrameElement | undefined} */
    this.pending = undefined
    this.version = 0
  }

  /**
   * Show `version`. An HTML view already on screen is patched in place: the new document
   * is fetched and only what changed is replaced, so the frame keeps its fonts, images and
   * scroll position (a reload would decode the fonts again, which takes the better part of
   * a second for a Chinese document). A changed `<head>` (a designer's style edit), the
   * first load and the PDF load a new frame behind the old one instead.
   *
   * @param {number} version
   */
  load(version) {
    if (version === this.version) return
    const shown = this.version
    this.version = version
    const current = this.current
    // A stylesheet, template or image changed since the version on screen: its URL did not.
    if (this.kind === 'pdf' || !current || this.pending || shown < designChanged) {
      this.loadFrame(version)
      return
    }
    void this.patch(current, version)
  }

  /** @param {HTMLIFrameElement} frame @param {number} version */
  async patch(frame, version) {
    let html
    try {
      html = await fetchText(`${this.src}?v=${version}`)
    } catch {
      if (version === this.version) this.loadFrame(version)
      return
    }
    if (version !== this.version || frame !== this.current) return
    if (!patchDocument(frame, html)) {
      this.loadFrame(version)
      return
    }
    // The galley keeps its zoom: an edit does not change the page width.
    // Logged once the new content has been laid out and painted.
    requestAnimationFrame(() => setTimeout(() => this.updated(version), 0))
  }

  /** @param {number} version */
  loadFrame(version) {
    const next = document.createElement('iframe')
    next.className = 'frame incoming'
    next.title = this.title
    const url = `${this.src}?v=${version}`
    next.src = this.kind === 'pdf' ? `${url}#navpanes=0&view=FitH` : url
    next.addEventListener('load', () => this.swap(next), { once: true })
    this.pending?.remove()
    this.pending = next
    this.stack.append(next)
  }

  /** @param {number} version */
  updated(version) {
    preview.log.push({ what: this.stack.id, version, at: Math.round(performance.now()) })
    this.stack.dispatchEvent(new CustomEvent('frameupdate', { detail: { version } }))
  }

  /** @param {HTMLIFrameElement} next */
  swap(next) {
    if (this.pending !== next) {
      next.remove()
      return
    }
    const previous = this.current
    if (this.kind === 'galley') fitGalley(next)
    if (previous && this.kind !== 'pdf') keepScroll(previous, next)
    next.classList.remove('incoming')
    previous?.remove()
    this.current = next
    this.pending = undefined
    this.updated(this.version)
  }

  refit() {
    if (this.kind === 'galley' && this.current) fitGalley(this.current)
  }
}

/**
 * Put the document `html` into `frame` in place: with the same `<head>` (compared as
 * parsed), only the nodes that differ are replaced, so the browser lays out again only
 * what changed. Returns false when the head changed or the frame cannot be reached (then
 * the frame is reloaded instead).
 *
 * @param {HTMLIFrameElement} frame @param {string} html
 */
function patchDocument(frame, html) {
  const doc = frame.contentDocument
  if (!doc?.body || !doc.head) return false
  const next = new DOMParser().parseFromString(html, 'text/html')
  if (next.head.innerHTML !== doc.head.innerHTML) return false
  // The root's `style` is the preview's own (the galley's zoom).
  copyAttributes(next.documentElement, doc.documentElement, ['style'])
  morph(doc.body, next.body, doc)
  return true
}

/**
 * Make `old` like `next` (a node of another document), touching only what differs: an
 * element with the same name and as many children keeps itself and is morphed child by
 * child; anything else is replaced.
 *
 * @param {Node} old @param {Node} next @param {Document} doc
 */
function morph(old, next, doc) {
  if (old.isEqualNode(next)) return
  if (!(old instanceof doc.defaultView.Element) || old.nodeName !== next.nodeName || old.childNodes.length !== next.childNodes.length) {
    old.parentNode?.replaceChild(doc.importNode(next, true), old)
    return
  }
  copyAttributes(/** @type {Element} */ (next), old)
  const before = [...old.childNodes]
  const after = [...next.childNodes]
  before.forEach((child, index) => morph(child, /** @type {Node} */ (after[index]), doc))
}

/**
 * Make `to`'s attributes those of `from`, but for `keep`.
 *
 * @param {Element} from @param {Element} to @param {string[]} [keep]
 */
function copyAttributes(from, to, keep = []) {
  for (const { name } of [...to.attributes]) if (!from.hasAttribute(name) && !keep.includes(name)) to.removeAttribute(name)
  for (const { name, value } of [...from.attributes])
    if (!keep.includes(name) && to.getAttribute(name) !== value) to.setAttribute(name, value)
}

/** @param {HTMLIFrameElement} from @param {HTMLIFrameElement} to */
function keepScroll(from, to) {
  try {
    const source = from.contentWindow
    const target = to.contentWindow
    if (source && target) target.scrollTo(source.scrollX, source.scrollY)
  } catch {
    // Not same-origin: nothing to keep.
  }
}

/** Scale the print galley (a page-wide sheet) to the frame's width. @param {HTMLIFrameElement} frame */
function fitGalley(frame) {
  const doc = frame.contentDocument
  if (!doc?.body || frame.clientWidth === 0) return
  doc.documentElement.style.zoom = '1'
  const sheet = doc.body.getBoundingClientRect().width + 48
  doc.documentElement.style.zoom = String(Math.min(1, frame.clientWidth / sheet))
}

const frames = {
  pdf: new LiveFrame($('pdf-frame')),
  galley: new LiveFrame($('print-html-frame')),
  email600: new LiveFrame($('email-600')),
  email375: new LiveFrame($('email-375')),
  webWide: new LiveFrame($('web-wide')),
  web320: new LiveFrame($('web-320'))
}

/** What the page shows: the state it last rendered, for tests and the bench. */
const preview = {
  /** @type {State | undefined} */ state: undefined,
  text: 0,
  connected: false,
  /** When each state arrived and each view was swapped in (`performance.now()`), the last 50. */
  /** @type {{ what: string, version: number, at: number }[]} */ log: []
}
Object.assign(window, { masthead: preview })

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Messages put values in backticks: show them as code. @param {string} text */
function formatMessage(text) {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>')
}

/** @param {Problem} problem */
function codeFrame(problem) {
  if (problem.frame.length === 0) return ''
  const width = String(problem.frame.at(-1)?.line ?? 0).length
  const rows = problem.frame.map((row) => {
    const number = String(row.line).padStart(width)
    if (!row.marked) return `<span class="row"><span class="gutter"> ${number} │</span> ${escapeHtml(row.text)}</span>`
    const column = Math.max(1, problem.column ?? 1)
    const chars = Array.from(row.text)
    const before = chars.slice(0, column - 1).join('')
    const at = chars[column - 1] ?? ' '
    const after = chars.slice(column).join('')
    const caret = `<span class="row caret"><span class="gutter"> ${' '.repeat(width)} │</span> ${escapeHtml(before.replace(/[^\t]/g, ' '))}^</span>`
    return `<span class="row marked"><span class="gutter">›${number} │</span> ${escapeHtml(before)}<span class="at">${escapeHtml(at)}</span>${escapeHtml(after)}</span>${caret}`
  })
  return `<pre class="code-frame">${rows.join('')}</pre>`
}

/** @param {Problem} problem */
function problemHtml(problem) {
  const rule = [problem.ruleId, problem.source].filter(Boolean).join(' · ')
  const cause = problem.cause
    ? `<p class="problem-cause">from <span class="where">${escapeHtml(problem.cause.where)}</span> — ${formatMessage(problem.cause.message)}</p>`
    : ''
  return `<article class="problem problem-${problem.severity}">
    <p class="problem-where"><span class="where">${escapeHtml(problem.where)}</span>${rule ? `<span class="rule">${escapeHtml(rule)}</span>` : ''}</p>
    <p class="problem-message">${formatMessage(problem.message)}</p>
    ${codeFrame(problem)}${cause}
  </article>`
}

let overlayKey = ''
let overlayHidden = false

/** @param {State} state */
function renderOverlay(state) {
  const errors = state.problems.filter((problem) => problem.severity === 'error')
  const overlay = $('overlay')
  if (errors.length === 0) {
    overlay.hidden = true
    overlayKey = ''
    document.body.classList.remove('has-errors')
    return
  }
  const key = errors.map((error) => `${error.where} ${error.message}`).join('\n')
  if (key !== overlayKey) {
    overlayKey = key
    overlayHidden = false
    $('overlay-title').textContent =
      errors.length === 1 ? 'The last save did not build' : `The last save did not build: ${errors.length} errors`
    $('overlay-problems').innerHTML = errors.map(problemHtml).join('')
  }
  overlay.hidden = overlayHidden
  document.body.classList.add('has-errors')
}

/** @param {State} state */
function renderProblems(state) {
  const others = state.problems.filter((problem) => problem.severity !== 'error')
  const toggle = $('problems-toggle')
  const warnings = others.filter((problem) => problem.severity === 'warning').length
  toggle.hidden = others.length === 0 && state.errors === 0
  toggle.textContent =
    state.errors > 0
      ? `${state.errors} ${state.errors === 1 ? 'error' : 'errors'}`
      : warnings > 0
        ? `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`
        : `${others.length} ${others.length === 1 ? 'note' : 'notes'}`
  toggle.dataset.level = state.errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'info'
  $('problem-list').innerHTML = others.map((problem) => `<li>${problemHtml(problem)}</li>`).join('')
}

/** @param {number | null} ms */
const ms = (ms) => (ms === null ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`)

/** @param {State} state */
function renderStatus(state) {
  const status = $('status')
  let text
  if (!preview.connected) {
    status.dataset.status = 'offline'
    text = 'Reconnecting…'
  } else if (state.busy.html) {
    status.dataset.status = 'busy'
    text = 'Building…'
  } else if (state.errors > 0) {
    status.dataset.status = 'error'
    text = 'Showing the last good build'
  } else if (state.busy.pdf) {
    status.dataset.status = 'busy'
    text = `HTML ${ms(state.timings.html)} · printing PDF…`
  } else {
    status.dataset.status = 'ok'
    text = `Up to date · HTML ${ms(state.timings.html)} · email ${ms(state.timings.email)} · PDF ${ms(state.timings.pdf)}`
  }
  $('status-text').textContent = text
  $('pdf-stale').hidden = !state.busy.pdf
}

async function loadText(/** @type {number} */ version) {
  if (version === preview.text) return
  preview.text = version
  const response = await fetch(`/email.txt?v=${version}`)
  if (!response.ok || version !== preview.text) return
  const text = await response.text()
  const pre = $('plain-text')
  pre.textContent = text
  preview.log.push({ what: 'plain-text', version, at: Math.round(performance.now()) })
  $('text-meta').textContent = `${text.split('\n').length} lines`
}

/**
 * The last round that changed something besides the issue's Markdown (a stylesheet, a
 * template, an image): views older than it are reloaded rather than patched, since the
 * files they link changed under the same URLs.
 */
let designChanged = 0

/** The plain-text view, shown like a frame. */
const textView = {
  stack: $('plain-text'),
  /** @param {number} version */
  load(version) {
    void loadText(version)
  }
}

/** Versions waiting for a hidden view, by view. @type {Map<{ stack: HTMLElement, load(version: number): void }, number>} */
const waiting = new Map()
let idleScheduled = false

/**
 * Bring a view to `version`: at once when it is on screen, else when the page is idle (or
 * as soon as it is shown), so that the views the editor looks at update first.
 *
 * @param {{ stack: HTMLElement, load(version: number): void }} view @param {number} version
 */
function show(view, version) {
  if (view.stack.checkVisibility()) {
    waiting.delete(view)
    view.load(version)
    return
  }
  waiting.set(view, version)
  if (idleScheduled) return
  idleScheduled = true
  requestIdleCallback(
    () => {
      idleScheduled = false
      for (const [hidden, wanted] of waiting) hidden.load(wanted)
      waiting.clear()
    },
    { timeout: 1000 }
  )
}

/** After a change of view: what just came on screen catches up now. */
function showWaiting() {
  for (const [view, version] of waiting) {
    if (view.stack.checkVisibility()) {
      waiting.delete(view)
      view.load(version)
    }
  }
}

/** @param {State} state */
function render(state) {
  preview.state = state
  if (state.changed.some((file) => !file.endsWith('.md'))) designChanged = Math.max(designChanged, state.round)
  preview.log.push({ what: 'state', version: state.round, at: Math.round(performance.now()) })
  if (preview.log.length > 50) preview.log.splice(0, preview.log.length - 50)
  $('title').textContent = state.title
  $('slug').textContent = state.slug
  document.title = `${state.title} — Masthead preview`
  const views = state.views
  // The fonts come from the print HTML's font packages: load them once it is there.
  const fonts = document.querySelector('link[href^="/fonts.css"]')
  if (views['print.html'] && fonts instanceof HTMLLinkElement && fonts.getAttribute('href') === '/fonts.css')
    fonts.href = `/fonts.css?v=${views['print.html']}`
  if (views['print.pdf']) show(frames.pdf, views['print.pdf'])
  if (views['print.html']) show(frames.galley, views['print.html'])
  if (views['email.html']) {
    show(frames.email600, views['email.html'])
    show(frames.email375, views['email.html'])
  }
  if (views['email.txt']) show(textView, views['email.txt'])
  if (views['index.html']) {
    show(frames.webWide, views['index.html'])
    show(frames.web320, views['index.html'])
  }
  $('web-placeholder').hidden = Boolean(views['index.html'])
  $('pdf-placeholder').hidden = Boolean(views['print.pdf'])
  $('html-placeholder').hidden = Boolean(views['print.html'])
  renderStatus(state)
  renderOverlay(state)
  renderProblems(state)
}

function connect() {
  const events = new EventSource('/events')
  events.addEventListener('open', () => {
    preview.connected = true
    if (preview.state) renderStatus(preview.state)
  })
  events.addEventListener('state', (event) => {
    preview.connected = true
    render(JSON.parse(/** @type {MessageEvent} */ (event).data))
  })
  events.addEventListener('error', () => {
    preview.connected = false
    if (preview.state) renderStatus(preview.state)
    else $('status-text').textContent = 'Reconnecting…'
  })
}

/** @param {string} view */
function setView(view) {
  document.body.dataset.view = view
  for (const tab of document.querySelectorAll('[role=tab]'))
    tab.setAttribute('aria-selected', String(/** @type {HTMLElement} */ (tab).dataset.view === view))
  localStorage.setItem('masthead:view', view)
  showWaiting()
  requestAnimationFrame(() => frames.galley.refit())
}

/** @param {'print' | 'email'} group @param {string} value */
function setChoice(group, value) {
  document.body.dataset[group] = value
  for (const button of document.querySelectorAll(`[data-${group}]`)) {
    if (button instanceof HTMLButtonElement) button.setAttribute('aria-pressed', String(button.dataset[group] === value))
  }
  localStorage.setItem(`masthead:${group}`, value)
  showWaiting()
  requestAnimationFrame(() => frames.galley.refit())
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button') : null
  if (!target) return
  if (target.getAttribute('role') === 'tab' && target.dataset.view) setView(target.dataset.view)
  else if (target.dataset.print) setChoice('print', target.dataset.print)
  else if (target.dataset.email) setChoice('email', target.dataset.email)
  else if (target.id === 'overlay-hide') {
    overlayHidden = true
    $('overlay').hidden = true
  } else if (target.id === 'problems-toggle') {
    if (preview.state?.errors) {
      overlayHidden = false
      $('overlay').hidden = false
    } else $('problems').hidden = !$('problems').hidden
  } else if (target.dataset.close === 'problems') $('problems').hidden = true
})

const VIEWS = ['split', 'print', 'email', 'text', 'web']

document.addEventListener('keydown', (event) => {
  const view = VIEWS[Number(event.key) - 1]
  if (view && !event.altKey && !event.ctrlKey && !event.metaKey) setView(view)
  if (event.key === 'Escape') {
    overlayHidden = true
    $('overlay').hidden = true
    $('problems').hidden = true
  }
})

addEventListener('resize', () => frames.galley.refit())

const savedView = localStorage.getItem('masthead:view')
if (savedView) setView(savedView)
const savedPrint = localStorage.getItem('masthead:print')
if (savedPrint) setChoice('print', savedPrint)
const savedEmail = localStorage.getItem('masthead:email')
if (savedEmail) setChoice('email', savedEmail)
connect()
