// The trace panel's webview: draws a PanelState (server/src/debug/panelModel.ts) with DOM nodes
// only. Every string from the trace (execnames, paths, output) reaches the page through
// textContent or an attribute setter, never as markup, so a hostile trace cannot run anything;
// the page's Content-Security-Policy (client/src/tracePanel/page.ts) forbids inline script
// and remote content besides.
import { barFractions, eventMatches, shownBuckets, type ClauseOutcome, type PanelAggregation, type PanelEvent, type PanelMessage, type PanelRequest, type PanelState } from '../../server/src/debug/panelModel';

interface VsCodeApi {
  postMessage(message: PanelRequest): void;
  setState(state: unknown): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode: VsCodeApi =
  typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : // Outside VS Code (the browser test), requests are recorded where the test can read them.
      { postMessage: (m) => ((window as unknown as { panelRequests: PanelRequest[] }).panelRequests ??= []).push(m), setState() {}, getState: () => undefined };

const SVG = 'http://www.w3.org/2000/svg';
let state: PanelState | undefined;
let filter = '';
let selected: number | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function goto(firing: number): void {
  selected = firing;
  vscode.postMessage({ type: 'goto', firing });
  render();
}

function section(title: string, id: string): HTMLElement {
  const s = el('section', 'card');
  s.id = id;
  s.setAttribute('aria-label', title);
  s.append(el('h2', undefined, title));
  return s;
}

function outcomeClass(o: ClauseOutcome): string {
  return `tick tick-${o}`;
}

/** One row per clause: its counts and a lane with a tick per firing of the window. */
function renderClauses(s: PanelState): HTMLElement {
  const box = section('Clauses', 'clauses');
  const table = el('table', 'clauses');
  const head = el('tr');
  for (const h of ['clause', 'line', 'fired', 'passed', 'faults', 'drops', 'timeline']) head.append(el('th', undefined, h));
  table.append(head);
  const events = s.events;
  const first = events[0]?.index ?? 0;
  const last = events.at(-1)?.index ?? first;
  const span = Math.max(1, last - first);
  for (const c of s.clauses) {
    const tr = el('tr');
    tr.dataset.clause = String(c.index);
    tr.append(el('td', 'probes', c.probes), el('td', 'num', String(c.line)), el('td', 'num', String(c.fired)), el('td', 'num', String(c.passed)), el('td', 'num', String(c.faults)), el('td', 'num', String(c.drops)));
    const lane = el('td', 'lane');
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 1000 16');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${c.fired} firings of clause ${c.index}`);
    for (const e of events) {
      const o = e.outcomes[c.index] ?? 'none';
      if (o === 'none') continue;
      const r = document.createElementNS(SVG, 'rect');
      r.setAttribute('x', String(((e.index - first) / span) * 996));
      r.setAttribute('y', '1');
      r.setAttribute('width', '4');
      r.setAttribute('height', '14');
      r.setAttribute('class', outcomeClass(o) + (e.index === (selected ?? s.current) ? ' tick-current' : ''));
      r.dataset.firing = String(e.index);
      r.addEventListener('click', () => goto(e.index));
      svg.append(r);
    }
    lane.append(svg);
    // Keyboard: the lane takes focus; Left/Right move to the previous/next firing of this clause.
    lane.tabIndex = 0;
    lane.addEventListener('keydown', (ev) => {
      if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight') return;
      const mine = events.filter((e) => (e.outcomes[c.index] ?? 'none') !== 'none').map((e) => e.index);
      const at = selected ?? s.current ?? -1;
      const next = ev.key === 'ArrowRight' ? mine.find((i) => i > at) : [...mine].reverse().find((i) => i < at);
      if (next !== undefined) goto(next);
      ev.preventDefault();
    });
    tr.append(lane);
    table.append(tr);
  }
  box.append(table);
  return box;
}

function renderEvents(s: PanelState): HTMLElement {
  const box = section('Events', 'events');
  const input = el('input', 'filter');
  input.type = 'search';
  input.placeholder = 'Filter: probe, execname, pid, tid';
  input.setAttribute('aria-label', 'Filter events');
  input.value = filter;
  input.addEventListener('input', () => {
    filter = input.value;
    render();
    (document.querySelector('input.filter') as HTMLInputElement | null)?.focus();
  });
  const shown = s.events.filter((e) => eventMatches(e, filter));
  const count = el('span', 'count', `${shown.length} of ${s.totalEvents} firings`);
  box.append(input, count);
  const table = el('table', 'events');
  const head = el('tr');
  for (const h of ['#', 'timestamp', 'cpu', 'pid', 'tid', 'execname', 'probe']) head.append(el('th', undefined, h));
  table.append(head);
  const rows: HTMLTableRowElement[] = [];
  shown.forEach((e: PanelEvent) => {
    const tr = el('tr', e.index === (selected ?? s.current) ? 'row current' : 'row');
    tr.tabIndex = 0;
    tr.dataset.firing = String(e.index);
    tr.setAttribute('aria-selected', String(e.index === (selected ?? s.current)));
    for (const v of [String(e.index), e.timestamp, String(e.cpu), String(e.pid), e.tid, e.execname, e.probe]) tr.append(el('td', undefined, v));
    if (e.outcomes.includes('fault')) tr.classList.add('faulted');
    tr.addEventListener('click', () => goto(e.index));
    tr.addEventListener('keydown', (ev) => {
      const i = rows.indexOf(tr);
      if (ev.key === 'Enter' || ev.key === ' ') goto(e.index);
      else if (ev.key === 'ArrowDown') rows[i + 1]?.focus();
      else if (ev.key === 'ArrowUp') rows[i - 1]?.focus();
      else return;
      ev.preventDefault();
    });
    rows.push(tr);
    table.append(tr);
  });
  box.append(table);
  return box;
}

function renderOutput(s: PanelState): HTMLElement {
  const box = section('Output', 'output');
  const pre = el('pre', 'output');
  for (const o of s.output) {
    const line = el('span', o.stream === 'stderr' ? 'err' : 'out', o.text);
    if (o.firing !== undefined) {
      const firing = o.firing;
      line.classList.add('linked');
      line.title = `firing ${firing}`;
      line.addEventListener('click', () => goto(firing));
    }
    pre.append(line);
  }
  box.append(pre);
  return box;
}

function bar(label: string, value: string, fraction: number, cls: string): HTMLElement {
  const row = el('div', `bar-row ${cls}`);
  const b = el('div', 'bar');
  b.style.width = `${(fraction * 100).toFixed(2)}%`;
  row.append(el('span', 'bar-label', label), el('span', 'bar-track'), el('span', 'bar-value', value));
  row.children[1]!.append(b);
  return row;
}

function renderAggregation(a: PanelAggregation): HTMLElement {
  const card = el('div', 'agg');
  card.dataset.aggregation = a.name;
  card.append(el('h3', undefined, `${a.name} = ${a.func}()`));
  if (a.rows.length === 0) card.append(el('p', 'empty', 'no data yet'));
  const histogram = a.rows.some((r) => r.buckets !== undefined);
  if (histogram) {
    for (const r of a.rows) {
      const h = el('div', 'histogram');
      if (r.keys.length > 0) h.append(el('div', 'keys', r.keys.join(', ')));
      const buckets = shownBuckets(r.buckets ?? []);
      const f = barFractions(buckets.map((b) => b.count));
      buckets.forEach((b, i) => h.append(bar(b.label, String(b.count), f[i]!, 'bucket')));
      card.append(h);
    }
  } else {
    // Ranked bars: the largest first (dtrace prints ascending; a chart reads best descending).
    const rows = [...a.rows].sort((x, y) => Number(y.value) - Number(x.value));
    const f = barFractions(rows.map((r) => Number(r.value)));
    rows.forEach((r, i) => card.append(bar(r.keys.length > 0 ? r.keys.join(', ') : a.name, r.value, f[i]!, 'ranked')));
  }
  return card;
}

function renderAggregations(s: PanelState): HTMLElement {
  const box = section('Aggregations', 'aggregations');
  for (const a of s.aggregations) box.append(renderAggregation(a));
  return box;
}

function render(): void {
  const root = document.getElementById('root')!;
  root.replaceChildren();
  if (state === undefined) {
    root.append(el('p', 'empty', 'Start a DTrace debug session to see its firings here.'));
    return;
  }
  const head = el('header');
  head.append(el('h1', undefined, state.script.split(/[\\/]/).pop() ?? state.script), el('span', 'status', state.running ? 'running' : state.current !== undefined ? `stopped at firing ${state.current}` : 'ended'));
  root.append(head, renderClauses(state), renderEvents(state), renderAggregations(state), renderOutput(state));
}

window.addEventListener('message', (ev: MessageEvent<PanelMessage>) => {
  const m = ev.data;
  if (m?.type !== 'state') return;
  state = m.state;
  if (selected !== undefined && state.current !== undefined) selected = state.current;
  render();
});

render();
vscode.postMessage({ type: 'ready' });
