#!/usr/bin/env node
// Runs the extension in a real VS Code (the server + web build inside the npm package
// code-server), headless, on a machine where @vscode/test-electron cannot download VS Code.
// `bash test/e2e/setup.sh` installs what this needs first (`npm run test:e2e` does both).
//
//   1. `npm run package`, and the .vsix installed into a fresh profile (a new folder per run);
//   2. VS Code's own server (lib/vscode/out/server-main.js) in a process group of its own,
//      with HOME and TMPDIR inside the run folder, killed however this script ends;
//   3. (a) the mocha suite test/e2e/suite inside the real (Node) extension host, through VS
//      Code's web integration-test payload (extensionDevelopmentPath = the installed .vsix
//      contents and test/e2e/fixtures/d-language-stub, extensionTestsPath = the suite, the
//      workspace test/e2e/fixtures), driven by headless chromium; its exit code is the result;
//      (b) a UI smoke test: the workbench opens broken.d, the Problems panel must show its
//      syntax error; the token inspector shows TextMate scopes and semantic tokens of reads.d;
//      a debug session stops at a breakpoint (debug view, inline aggregation previews); the
//      trace panel's webview shows the run. Screenshots go to test/e2e/screenshots/.
//
// Environment: DTRACE_E2E_CACHE, DTRACE_E2E_VARIANT (as for setup.sh); DTRACE_E2E_ONLY=suite|ui
// runs one part; DTRACE_E2E_TIMEOUT_S (default 170) bounds the whole run; DTRACE_E2E_KEEP=1
// keeps the run folder (profile, server and extension host logs) even when everything passed;
// DTRACE_E2E_VERBOSE=1 prints every line the workbench logs.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

const REPO = path.resolve(__dirname, '..', '..');
const E2E = __dirname;
const FIXTURES = path.join(E2E, 'fixtures');
const STUB = path.join(FIXTURES, 'd-language-stub');
const SUITE = path.join(E2E, 'suite', 'index.js');
const SCREENSHOTS = path.join(E2E, 'screenshots');
const VSIX = path.join(REPO, 'dist', 'dtrace-d.vsix');

const env = process.env;
const CACHE = env.DTRACE_E2E_CACHE || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'dtrace-d-e2e');
const VARIANT = env.DTRACE_E2E_VARIANT || 'node20';
const ONLY = env.DTRACE_E2E_ONLY || '';
const VERBOSE = !!env.DTRACE_E2E_VERBOSE;
const TOTAL_TIMEOUT_MS = 1000 * Number(env.DTRACE_E2E_TIMEOUT_S || 170);
const SUITE_TIMEOUT_MS = 120_000;
const UI_TIMEOUT_MS = 90_000;

const T0 = Date.now();
const log = (...args) => console.log(`[e2e ${((Date.now() - T0) / 1000).toFixed(1).padStart(5)}s] ${util.format(...args)}`);

// ---------------------------------------------------------------------------------------------
// Cleanup: whatever ends this script (success, failure, exception, deadline, Ctrl-C, SIGTERM)
// runs every registered cleanup once, the server's process group above all.

const cleanups = [];
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        log('cleanup:', err && err.message);
      }
    }
  })();
  return cleaning;
}
async function finish(code) {
  await cleanup();
  process.exit(code);
}
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    void finish(code);
  });
}
process.on('uncaughtException', (err) => {
  console.error(err);
  void finish(1);
});
process.on('unhandledRejection', (err) => {
  console.error(err);
  void finish(1);
});
setTimeout(() => {
  log(`the whole run took over ${TOTAL_TIMEOUT_MS / 1000}s: stopping (DTRACE_E2E_TIMEOUT_S)`);
  void finish(1);
}, TOTAL_TIMEOUT_MS).unref();

// ---------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000}s`)), ms);
    }),
  ]);
}

/** Runs a command to completion; its output goes to `logFile` and is shown when it fails. */
function run(cmd, args, { cwd, env: childEnv, logFile, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'w');
    const child = spawn(cmd, args, { cwd, env: childEnv, stdio: ['ignore', out, out], detached: true });
    fs.closeSync(out);
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    cleanups.push(kill);
    const timer = setTimeout(kill, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      reject(new Error(`${cmd} ${args.join(' ')} failed (${signal || `exit ${code}`}):\n${tail}`));
    });
  });
}

function isAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** TERM the whole process group, KILL it if it is still there after `graceMs`. */
async function killGroup(pgid, graceMs = 3000) {
  if (!isAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {}
  const until = Date.now() + graceMs;
  while (isAlive(pgid) && Date.now() < until) await sleep(100);
  if (isAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}

// ---------------------------------------------------------------------------------------------
// The run folder: a fresh VS Code profile, HOME and TMPDIR for every process started here.

function readManifest() {
  const file = path.join(CACHE, `${VARIANT}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`bash test/e2e/setup.sh\` first (or \`npm run test:e2e\`)`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function makeRunDir() {
  const runs = path.join(CACHE, 'runs');
  fs.mkdirSync(runs, { recursive: true });
  // Failed (or interrupted) runs are kept for their logs: keep the last few, and never touch
  // one young enough to belong to a run going on beside this one.
  const old = fs
    .readdirSync(runs)
    .map((name) => ({ name, mtime: fs.statSync(path.join(runs, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name, mtime } of old.slice(4)) {
    if (Date.now() - mtime > 15 * 60_000) fs.rmSync(path.join(runs, name), { recursive: true, force: true });
  }

  const dir = fs.mkdtempSync(path.join(runs, 'run-'));
  for (const sub of ['home', 'tmp', 'data/User', 'server', 'ext']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const settings = JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
      // The suite edits fixtures without saving them; nothing may write them behind its back.
      'files.autoSave': 'off',
      'files.hotExit': 'off',
      // The fixtures sit inside this repository: no git scanning, no "open the repository?" toast.
      'git.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
    },
    null,
    2,
  );
  // The workbench keeps its user data on the server, under --user-data-dir.
  fs.writeFileSync(path.join(dir, 'data', 'User', 'settings.json'), settings);
  return dir;
}

function isolatedEnv(runDir, extra = {}) {
  const home = path.join(runDir, 'home');
  const childEnv = {
    ...env,
    HOME: home,
    TMPDIR: path.join(runDir, 'tmp'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_RUNTIME_DIR: path.join(runDir, 'tmp'),
    EXTENSIONS_GALLERY: '{}', // no marketplace look-ups (there is no network for them anyway)
    VSCODE_CLI_DISABLE_KEYCHAIN_ENCRYPT: '1',
    ...extra,
  };
  // Leftovers of a surrounding VS Code or test runner must not reach the server's processes.
  for (const key of Object.keys(childEnv)) {
    if (/^(VSCODE_(?!CLI_DISABLE)|ELECTRON_)/.test(key)) delete childEnv[key];
  }
  delete childEnv.NODE_OPTIONS;
  return childEnv;
}

function serverArgs(runDir) {
  return [
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--server-data-dir',
    path.join(runDir, 'server'),
    '--user-data-dir',
    path.join(runDir, 'data'),
    '--extensions-dir',
    path.join(runDir, 'ext'),
  ];
}

// A guard leads the server's process group: it starts the server, and when either the server
// or this script (even one killed with SIGKILL) is gone, it ends the whole group, so that no
// extension host, language server or file watcher outlives the run.
const GUARD = String.raw`
runner=$1; shift
trap '' TERM INT HUP
"$@" &
server=$!
while kill -0 "$runner" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 0.5; done
kill -TERM -- -$$ 2>/dev/null; sleep 3; kill -KILL -- -$$ 2>/dev/null
`;

async function startServer(manifest, runDir) {
  const logFile = path.join(runDir, 'server.log');
  const out = fs.openSync(logFile, 'w');
  const args = [
    ...serverArgs(runDir),
    '--host',
    '127.0.0.1',
    '--port',
    '0', // the kernel picks a free port: runs side by side never collide
    '--without-connection-token',
    '--enable-smoke-test-driver', // needed for extension tests on newer builds; no toasts
    '--disable-workspace-trust',
  ];
  const child = spawn('bash', ['-c', GUARD, 'e2e-guard', String(process.pid), manifest.node, manifest.serverMain, ...args], {
    detached: true, // setsid: the guard leads a new process group
    stdio: ['ignore', out, out],
    env: isolatedEnv(runDir),
  });
  fs.closeSync(out);
  const pgid = child.pid;
  cleanups.push(() => killGroup(pgid));

  let port;
  const until = Date.now() + 30_000;
  while (!port) {
    const m = /Extension host agent listening on (\d+)/.exec(fs.readFileSync(logFile, 'utf8'));
    if (m) port = Number(m[1]);
    else if (!isAlive(pgid) || Date.now() > until) {
      throw new Error(`the VS Code server did not start:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    } else await sleep(100);
  }
  const url = `http://127.0.0.1:${port}`;
  while (!(await httpOk(`${url}/`))) {
    if (Date.now() > until) throw new Error(`${url}/ does not answer`);
    await sleep(100);
  }
  return { url, pgid, logFile };
}

// ---------------------------------------------------------------------------------------------
// Chromium

async function launchBrowser(manifest, runDir, name) {
  const { chromium } = require(manifest.playwrightCore);
  const profile = path.join(runDir, `chromium-${name}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env.CHROMIUM || manifest.chromium || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--password-store=basic',
    ],
    env: isolatedEnv(runDir),
    viewport: { width: 1400, height: 900 },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
  const close = () => withTimeout(context.close(), 10_000, 'closing chromium').catch(() => {});
  cleanups.push(close);
  const page = context.pages()[0] || (await context.newPage());
  return { context, page, close };
}

function workbenchUrl(server, payload) {
  const host = new URL(server).host;
  const remote = (p) => `vscode-remote://${host}${p}`;
  const entries = payload.map(([key, value]) => [key, key.endsWith('Path') ? remote(value) : value]);
  return `${server}/?folder=${encodeURIComponent(FIXTURES)}&payload=${encodeURIComponent(JSON.stringify(entries))}`;
}

// Lines the workbench logs on every start that say nothing about this extension.
const NOISE =
  /^(Creating a socket|Resolving connection|Resolved connection|Ignoring fetching additional builtin|Updating additional|\[Service Worker\]|ChatSessionStore|Started local extension host|Extension host agent|\[perf\]|\[reconnection-grace-time\]|\[AgentHost|\[AccountPolicyGate\]|Unable to resolve (resource|nonexistent))/;

// Errors every page load of this server build shows: it serves no web manifest or service worker.
const BROWSER_NOISE = /status of 404|bad HTTP response code \(404\)|Manifest fetch|ServiceWorker|Service Worker/;

/** (a) The mocha suite inside the real extension host; resolves to its exit code. */
async function runSuite(manifest, runDir, server, installedExtension) {
  const { page, close } = await launchBrowser(manifest, runDir, 'suite');
  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  // VS Code calls these when it runs as an automated test: its log lines (the suite's console
  // output among them) and the extension host's exit code once `run()` settles.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = util.format(...(Array.isArray(args) ? args : [args]));
    if (VERBOSE || !(NOISE.test(text) || BROWSER_NOISE.test(text))) console.log(`  ${text.replace(/\n/g, '\n  ')}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  const url = workbenchUrl(server, [
    ['extensionDevelopmentPath', installedExtension],
    ['extensionDevelopmentPath', STUB],
    ['extensionTestsPath', SUITE],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(url);
  let code;
  try {
    code = await withTimeout(exited, SUITE_TIMEOUT_MS, 'the extension tests');
  } catch (err) {
    log(err.message);
    code = 'timeout';
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, code === 0 ? 'suite.png' : 'suite-failure.png') }).catch(() => {});
  await close();
  return code;
}

/**
 * (b) UI smoke: broken.d opens as DTrace and its syntax error is in the Problems panel; the token
 * inspector shows reads.d's TextMate scopes and semantic tokens; reads.d debugged from the
 * command palette stops at its breakpoint, with inline aggregation previews; the trace panel
 * shows the run. Screenshots: ui-editor, ui-problems, ui-debug, ui-trace-panel.
 */
async function runUiSmoke(manifest, runDir, server) {
  const { page, close } = await launchBrowser(manifest, runDir, 'ui');
  page.on('console', (m) => {
    if (VERBOSE || (m.type() === 'error' && !BROWSER_NOISE.test(m.text()))) console.log(`  [browser ${m.type()}] ${m.text().slice(0, 300)}`);
  });
  const shot = (name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const quickInput = page.locator('.quick-input-widget input');

  /** Opens quick open and picks the first entry for `text`. */
  async function pick(keys, text, rowText) {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press(keys);
      try {
        await quickInput.waitFor({ state: 'visible', timeout: 5000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await quickInput.fill(text);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: rowText });
    await row.first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
  }

  /**
   * Runs a command from the command palette by its title. A click on its row, not Enter: the
   * palette lists recently used commands first, and Enter takes whichever row is on top.
   */
  async function command(title) {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('F1');
      try {
        await quickInput.waitFor({ state: 'visible', timeout: 5000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await quickInput.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
    await row.first().click({ timeout: 15_000 });
    await quickInput.waitFor({ state: 'hidden', timeout: 5000 });
    await page.mouse.move(700, 880); // off the toolbars: no tooltip in the screenshots
  }
  /** Ctrl+G: the cursor to `line` or `line:column`. */
  async function goToLine(where) {
    await page.keyboard.press('Control+G');
    await quickInput.waitFor({ state: 'visible', timeout: 5000 });
    await quickInput.fill(`:${where}`);
    await page.keyboard.press('Enter');
    await quickInput.waitFor({ state: 'hidden', timeout: 5000 });
  }
  async function waitForValue(what, probe, timeoutMs = 15_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > until) throw new Error(`${what}: not after ${timeoutMs / 1000}s`);
      await sleep(100);
    }
  }

  try {
    // The stub is loaded as it is for the suite: with it, every .d file is claimed by two
    // languages, as with code-d installed, and detection has to sort broken.d out.
    await page.goto(workbenchUrl(server, [['extensionDevelopmentPath', STUB], ['skipWelcome', 'true']]));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.d' }).first().waitFor({ timeout: 30_000 });
    log('ui: workbench up, explorer lists the fixtures');

    await pick('Control+P', 'broken.d', 'broken.d');
    await page.locator('.tabs-container .tab.active', { hasText: 'broken.d' }).waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: 'count(;' }).waitFor({ timeout: 15_000 });
    // The language indicator in the status bar: the file is DTrace, whatever the stub claimed.
    await page.locator('#status\\.editor\\.mode', { hasText: 'DTrace' }).waitFor({ timeout: 20_000 });
    // The squiggle under the error (the language server's diagnostic reached the editor).
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    log('ui: broken.d is open as DTrace, with an error squiggle');
    await shot('ui-editor');

    // The Problems panel, as a user opens it: Ctrl+Shift+M, or a click on the status bar's counts.
    const panel = page.locator('.markers-panel');
    await page.keyboard.press('Control+Shift+M');
    if (!(await panel.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false))) {
      await page.locator('#status\\.problems').click();
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
    }
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'D_SYNTAX' });
    await marker.first().waitFor({ timeout: 30_000 });
    const text = (await marker.first().innerText()).replace(/\s+/g, ' ').trim();
    log(`ui: Problems panel: ${text}`);
    // broken.d line 4 is `@[execname] = count(;`: the error belongs there, whatever its wording.
    if (!/\bLn 4\b/.test(text)) throw new Error(`unexpected Problems entry: ${text}`);
    const file = page.locator('.markers-panel .monaco-list-row', { hasText: 'broken.d' });
    await file.first().waitFor({ timeout: 5000 });
    await shot('ui-problems');
    await page.keyboard.press('Control+Shift+M'); // the panel closes again: room for the editor

    // Highlighting as VS Code shows it: "Developer: Inspect Editor Tokens and Scopes" at a
    // position gives the TextMate scopes of the grammar and the language server's semantic token.
    await pick('Control+P', 'reads.d', 'reads.d');
    await page.locator('.tabs-container .tab.active', { hasText: 'reads.d' }).waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: 'quantize' }).waitFor({ timeout: 15_000 });
    await page.locator('#status\\.editor\\.mode', { hasText: 'DTrace' }).waitFor({ timeout: 20_000 });
    const inspect = async (line, column, scopes, semantic) => {
      await goToLine(`${line}:${column}`);
      await command('Developer: Inspect Editor Tokens and Scopes');
      const widget = page.locator('.token-inspect-widget');
      // The semantic part appears once the server's tokens are in.
      await widget.filter({ hasText: semantic }).waitFor({ timeout: 20_000 });
      const text = (await widget.innerText()).replace(/\s+/g, ' ');
      for (const scope of scopes) if (!text.includes(scope)) throw new Error(`Ln ${line}, Col ${column}: no TextMate scope ${scope} in: ${text}`);
      await page.keyboard.press('Escape');
      return text;
    };
    await inspect(12, 22, ['support.function.aggregation.dtrace', 'meta.block.dtrace', 'source.dtrace'], 'function');
    await inspect(4, 11, ['entity.name.function.probe.dtrace', 'meta.probe-description.dtrace'], 'function');
    const fd = await inspect(10, 9, ['variable.other.thread-local.dtrace', 'meta.predicate.dtrace'], 'threadLocal');
    if (!/semantic token type\s*variable/i.test(fd)) throw new Error(`self->fd is not a semantic variable: ${fd}`);
    log('ui: TextMate scopes and semantic tokens of reads.d as the inspector shows them');

    // Debug the script as a user does: a breakpoint on the clause (F9 on line 9), "DTrace: Debug
    // Script" (the firings come from the workspace's dtrace.firingsSource), continue once.
    await goToLine('9');
    await page.keyboard.press('F9');
    await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
    await command('DTrace: Debug Script');
    await page.locator('.debug-toolbar').waitFor({ timeout: 30_000 });
    const callStack = page.locator('.debug-call-stack');
    await callStack.locator('.monaco-list-row', { hasText: '#2 syscall:linux:read:return' }).first().waitFor({ timeout: 30_000 });
    await command('Debug: Continue');
    await callStack.locator('.monaco-list-row', { hasText: '#6 syscall:linux:read:return' }).first().waitFor({ timeout: 30_000 });
    // The Probe scope of the Variables view: this firing's arg0 (cat's read of 300 bytes).
    await page.locator('.debug-variables .monaco-list-row', { hasText: 'arg0' }).filter({ hasText: '300' }).first().waitFor({ timeout: 15_000 });
    // The inline previews after the aggregation statements (decorations drawn with ::after).
    const previews = await waitForValue('the inline aggregation previews', () =>
      page.evaluate(() => {
        const texts = [];
        for (const el of document.querySelectorAll('.monaco-editor .view-lines span')) {
          const content = getComputedStyle(el, '::after').content;
          if (content && content !== 'none' && content.includes('@')) texts.push(JSON.parse(content));
        }
        return texts.includes('@bytes: cat 100') && texts.includes('@sizes: ▕█▏') ? texts : undefined;
      }),
    );
    log(`ui: stopped on firing #6 in the debug view; previews ${JSON.stringify(previews)}`);
    await shot('ui-debug');

    // The trace panel beside it: clauses, firings, the histogram of @sizes.
    await command('DTrace: Show Trace Panel');
    await page.locator('.tabs-container .tab', { hasText: 'DTrace Trace' }).waitFor({ timeout: 15_000 });
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await webview.locator('table.clauses tr[data-clause]').nth(2).waitFor({ timeout: 30_000 });
    const clauses = await webview.locator('table.clauses tr[data-clause] td:first-child').allInnerTexts();
    if (JSON.stringify(clauses) !== JSON.stringify(['syscall::read:entry', 'syscall::read:return', 'END'])) throw new Error(`trace panel clauses: ${clauses}`);
    await webview.locator('table.events tr.row').nth(5).waitFor({ timeout: 15_000 });
    const bars = webview.locator('.agg[data-aggregation="@sizes"] .bar-row');
    await bars.nth(2).waitFor({ timeout: 15_000 });
    // The page's stylesheet applied (dist/tracePanel.css, loaded by nonce): the rows are a grid.
    const display = await bars.first().evaluate((el) => getComputedStyle(el).display);
    if (display !== 'grid') throw new Error(`the trace panel's stylesheet did not apply (a histogram row is display: ${display})`);
    const histogram = (await bars.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    if (JSON.stringify(histogram) !== JSON.stringify(['32 0', '64 1', '128 0'])) throw new Error(`trace panel histogram of @sizes: ${JSON.stringify(histogram)}`);
    log(`ui: trace panel shows ${clauses.length} clauses, the firings, and @sizes ${JSON.stringify(histogram)}`);
    await bars.first().scrollIntoViewIfNeeded();
    await shot('ui-trace-panel');
    await command('Debug: Stop');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 15_000 });
    return 0;
  } catch (err) {
    log(`ui: FAILED: ${err.message.split('\n')[0]}`);
    await shot('ui-failure').catch(() => {});
    return 1;
  } finally {
    await close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const manifest = readManifest();
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const runDir = makeRunDir();
  log(`VS Code ${manifest.vscodeVersion} (code-server ${manifest.codeServer}, ${VARIANT}); run folder ${runDir}`);

  await run('npm', ['run', 'package'], { cwd: REPO, env, logFile: path.join(runDir, 'package.log') });
  const vsix = path.join(runDir, 'dtrace-d.vsix');
  fs.copyFileSync(VSIX, vsix); // our copy: a concurrent `npm run package` may rewrite dist/
  log('packaged', path.relative(REPO, VSIX));

  await run(manifest.node, [manifest.serverMain, ...serverArgs(runDir), '--install-extension', vsix], {
    cwd: runDir,
    env: isolatedEnv(runDir),
    logFile: path.join(runDir, 'install.log'),
    timeoutMs: 60_000,
  });
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const installed = path.join(runDir, 'ext', `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  if (!fs.existsSync(path.join(installed, 'dist', 'client.js'))) {
    throw new Error(`the .vsix did not install to ${installed}: ${fs.readdirSync(path.join(runDir, 'ext')).join(', ')}`);
  }
  log('installed into a fresh profile:', path.relative(runDir, installed));

  const server = await startServer(manifest, runDir);
  log(`VS Code server at ${server.url} (process group ${server.pgid})`);

  const results = [];
  if (ONLY !== 'ui') {
    log('(a) mocha suite in the extension host: test/e2e/suite');
    const code = await runSuite(manifest, runDir, server.url, installed);
    log(`(a) extension tests exited with ${code}`);
    results.push(['extension tests (test/e2e/suite)', code === 0]);
  }
  if (ONLY !== 'suite') {
    log('(b) UI smoke test: Problems panel, highlighting, debug view, trace panel');
    const code = await withTimeout(runUiSmoke(manifest, runDir, server.url), UI_TIMEOUT_MS, 'the UI smoke test').catch((err) => {
      log(err.message);
      return 1;
    });
    results.push(['UI smoke (Problems panel, token inspector, debug view, trace panel)', code === 0]);
  }

  const failed = results.filter(([, ok]) => !ok).length;
  for (const [name, ok] of results) log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  if (failed || env.DTRACE_E2E_KEEP) {
    log(`logs kept in ${runDir} (server.log; data/logs/*/exthost*/ for the extension host and the DTrace D output channel)`);
  } else {
    cleanups.unshift(() => fs.rmSync(runDir, { recursive: true, force: true })); // after the server is gone
  }
  log(`screenshots in ${path.relative(REPO, SCREENSHOTS)}/: ${fs.readdirSync(SCREENSHOTS).join(', ')}`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(finish, (err) => {
  log(`ERROR: ${err && err.stack ? err.stack : err}`);
  console.log('0 passed, 1 failed');
  return finish(1);
});
