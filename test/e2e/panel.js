#!/usr/bin/env node
// The trace panel's webview in a real browser (Debian's chromium, driven by playwright-core from
// the e2e cache that setup.sh fills): the page VS Code shows (same HTML, same CSP, same bundle)
// is served from a local HTTP server and fed a recorded panel state
// (test/fixtures/panel/*.json). Checks what a user sees and does: clause counts, timeline ticks,
// events table with filter and keyboard, histogram and ranked bars, output lines linked to
// firings, and that hostile strings from a trace stay text (nothing they carry runs, the CSP
// reports no violation). Screenshot: test/e2e/screenshots/trace-panel.png.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const REPO = path.join(__dirname, '..', '..');
const CACHE = process.env.DTRACE_E2E_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'dtrace-d-e2e');
const manifest = JSON.parse(fs.readFileSync(path.join(CACHE, `${process.env.DTRACE_E2E_VARIANT || 'node20'}.json`), 'utf8'));

async function bundle() {
  const esbuild = require('esbuild');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtrace-panel-'));
  await esbuild.build({ entryPoints: [path.join(REPO, 'client/webview/tracePanel.ts')], bundle: true, platform: 'browser', format: 'iife', outfile: path.join(dir, 'tracePanel.js'), logLevel: 'warning' });
  fs.copyFileSync(path.join(REPO, 'client/webview/tracePanel.css'), path.join(dir, 'tracePanel.css'));
  return dir;
}

/** Serves the page and the bundle; `page()` gives the HTML once the server's origin is known. */
function serve(dir, page) {
  const server = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(page());
    }
    const file = path.join(dir, path.basename(req.url));
    if (req.url === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    if (!fs.existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  require('tsx/cjs');
  const { panelPage } = require(path.join(REPO, 'client/src/tracePanel/page.ts'));
  const dir = await bundle();
  let html = '';
  const server = await serve(dir, () => html);
  const origin = `http://127.0.0.1:${server.address().port}`;
  html = panelPage({ nonce: 'c2VjcmV0LW5vbmNlLTEyMw==', cspSource: origin, script: `${origin}/tracePanel.js`, style: `${origin}/tracePanel.css` });

  const { chromium } = require(manifest.playwrightCore);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || manifest.chromium || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  let failed = 0;
  try {
    const inputs = fs.readdirSync(path.join(REPO, 'test/fixtures/panel')).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(fs.readFileSync(path.join(REPO, 'test/fixtures/panel', f), 'utf8'))]);
    inputs.push(['read-latency-make-words.json', await recordedState()]);
    for (const [fixture, state] of inputs) {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => (window.panelRequests || []).some((r) => r.type === 'ready'));
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), state);
      await page.waitForSelector('#clauses');
      const shots = path.join(REPO, 'test/e2e/screenshots');
      fs.mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, `trace-panel-${fixture.replace(/\.json$/, '')}.png`) });
      try {
        await checks(page, state, fixture);
        assert.deepEqual(problems, [], 'the page logged errors (a CSP violation, a failed load, an exception)');
        console.log(`ok - trace panel: ${fixture}`);
      } catch (e) {
        failed++;
        console.log(`not ok - trace panel: ${fixture}\n${e.stack || e}`);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (failed) process.exit(1);
}

/**
 * What the debugger publishes in a real run: examples/read-latency.d on the bundled recording
 * of a make build, stopped at its 500th firing (quantize histograms and sums per execname).
 */
async function recordedState() {
  const { createDebugRuntime } = require(path.join(REPO, 'server/src/debug/runtime/index.ts'));
  const rt = createDebugRuntime();
  const r = await rt.launch(
    { program: path.join(REPO, 'examples/read-latency.d'), source: { kind: 'trace', file: path.join(REPO, 'examples/traces/make-words.ndjson.gz') } },
    { stopped: () => undefined, output: () => undefined, ended: () => undefined },
  );
  assert.ok(r.ok, 'examples/read-latency.d compiles in the debugger');
  await rt.gotoFiring(500);
  const state = rt.panelState();
  await rt.stop(true);
  assert.ok(state.current !== undefined && state.events.length > 0 && state.aggregations.some((a) => a.rows.some((row) => row.buckets)), 'the recorded run has firings and a histogram');
  return state;
}

async function checks(page, state, fixture) {
  // Clauses: one row each with its counts, one tick per firing the clause saw.
  const rows = await page.$$eval('table.clauses tr[data-clause]', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent)));
  assert.deepEqual(rows, state.clauses.map((c) => [c.probes, String(c.line), String(c.fired), String(c.passed), String(c.faults), String(c.drops)]));
  for (const c of state.clauses) {
    const ticks = await page.$$eval(`tr[data-clause="${c.index}"] rect`, (rs) => rs.map((r) => [r.dataset.firing, r.getAttribute('class').split(' ')[1]]));
    const expected = state.events.filter((e) => (e.outcomes[c.index] || 'none') !== 'none').map((e) => [String(e.index), `tick-${e.outcomes[c.index]}`]);
    assert.deepEqual(ticks, expected, `ticks of clause ${c.index}`);
  }
  // Events table: every firing of the window, fields as text.
  const events = await page.$$eval('table.events tr.row', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(events, state.events.map((e) => [String(e.index), e.timestamp, String(e.cpu), String(e.pid), e.tid, e.execname, e.probe]));
  assert.equal(await page.textContent('#events .count'), `${state.events.length} of ${state.totalEvents} firings`);

  // Hostile strings stay text: nothing they carry became an element or ran.
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'a trace string ran code');
  assert.equal(await page.$$eval('#root img, #root script, #root iframe', (x) => x.length), 0);

  // Filter: by execname.
  const name = state.events.at(-1).execname;
  await page.fill('input.filter', name);
  const filtered = await page.$$eval('table.events tr.row', (trs) => trs.map((tr) => tr.dataset.firing));
  assert.deepEqual(filtered, state.events.filter((e) => e.execname.toLowerCase().includes(name.toLowerCase()) || e.probe.toLowerCase().includes(name.toLowerCase())).map((e) => String(e.index)));
  await page.fill('input.filter', '');

  // Keyboard only: focus the first row, move down, Enter asks the debugger for that firing.
  await page.focus('table.events tr.row');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const requests = await page.evaluate(() => window.panelRequests.filter((r) => r.type === 'goto'));
  assert.deepEqual(requests.at(-1), { type: 'goto', firing: state.events[1].index });
  // The chosen row is marked current.
  assert.equal(await page.$eval('tr.row.current', (tr) => tr.dataset.firing), String(state.events[1].index));
  // A click on a timeline tick.
  const tick = state.events.find((e) => e.outcomes.some((o) => o !== 'none'));
  await page.click(`rect[data-firing="${tick.index}"]`);
  assert.deepEqual(await page.evaluate(() => window.panelRequests.at(-1)), { type: 'goto', firing: tick.index });

  // Aggregation cards: histogram bars per bucket, ranked bars largest first.
  for (const a of state.aggregations) {
    const card = `.agg[data-aggregation="${a.name}"]`;
    assert.equal(await page.textContent(`${card} h3`), `${a.name} = ${a.func}()`);
    const bars = await page.$$eval(`${card} .bar-row`, (rs) => rs.map((r) => [r.querySelector('.bar-label').textContent, r.querySelector('.bar-value').textContent, Number.parseFloat(r.querySelector('.bar').style.width).toFixed(2)]));
    if (a.rows.some((r) => r.buckets)) {
      const buckets = a.rows.flatMap((r) => {
        const max = Math.max(...r.buckets.map((b) => b.count));
        // dtrace's rows: from the bucket below the first non-empty one to the one above the last.
        const nonEmpty = r.buckets.map((b, i) => (b.count ? i : -1)).filter((i) => i >= 0);
        const shown = nonEmpty.length ? r.buckets.slice(Math.max(0, nonEmpty[0] - 1), nonEmpty.at(-1) + 2) : [];
        return shown.map((b) => [b.label, String(b.count), ((max ? b.count / max : 0) * 100).toFixed(2)]);
      });
      assert.deepEqual(bars, buckets, `histogram ${a.name}`);
    } else {
      const ranked = [...a.rows].sort((x, y) => Number(y.value) - Number(x.value));
      const max = Math.max(...ranked.map((r) => Math.abs(Number(r.value))));
      assert.deepEqual(bars, ranked.map((r) => [r.keys.length ? r.keys.join(', ') : a.name, r.value, ((max ? Math.abs(Number(r.value)) / max : 0) * 100).toFixed(2)]), `ranked ${a.name}`);
    }
  }
  // Output lines: verbatim text; a line from a firing moves the debugger there.
  const out = await page.$$eval('pre.output span', (s) => s.map((x) => x.textContent));
  assert.deepEqual(out, state.output.map((o) => o.text));
  const linked = state.output.findIndex((o) => o.firing !== undefined);
  if (linked >= 0) {
    await page.click(`pre.output span:nth-child(${linked + 1})`);
    assert.deepEqual(await page.evaluate(() => window.panelRequests.at(-1)), { type: 'goto', firing: state.output[linked].firing });
  }
  assert.ok(fixture);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
