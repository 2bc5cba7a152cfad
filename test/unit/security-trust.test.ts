// Issue 10's security promises, as a user meets them: destructive actions only with -w; in an
// untrusted workspace the extension only edits (no run, no debug, no live capture, no cpp); a
// live capture starts only once the exact command line was shown and confirmed; trace data in
// the aggregation hover stays text. Run: node --import tsx --test test/unit/security-trust.test.ts
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { commandLine, liveCapture, liveCaptureConfirmation, runRefusal, shellQuote } from '../../client/src/trust';
import { dtvmArguments, launchConfigurationFor, type RunSettings } from '../../client/src/runConfiguration';
import { hoverMarkdown, inlinePreview } from '../../client/src/tracePanel/previewText';
import { panelPage } from '../../client/src/tracePanel/page';
import { dtvm } from '../support/runDtvm';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const settings = (over: Partial<RunSettings> = {}): RunSettings => ({ firingsSource: {}, options: {}, macroArguments: [], flavour: 'auto', ...over });

test('destructive actions need -w: system(), freopen(), raise(), stop() are refused without it', async () => {
  for (const action of ['system("touch /tmp/dtvm-should-not-exist")', 'freopen("/tmp/dtvm-should-not-exist")', 'raise(9)', 'stop()']) {
    const r = await dtvm(['-q', '-n', `BEGIN { ${action}; exit(0); }`]);
    assert.equal(r.status, 1, action);
    assert.equal(r.stdout, '', action);
    assert.equal(r.stderr, 'dtrace: could not enable tracing: Destructive actions not allowed\n', action);
  }
  assert.equal(existsSync('/tmp/dtvm-should-not-exist'), false);
  const w = await dtvm(['-w', '-n', 'BEGIN { system("echo from-system"); exit(0); }']);
  assert.equal(w.status, 0);
  assert.match(w.stderr, /dtrace: allowing destructive actions\n/);
  assert.match(w.stdout, /from-system\n/);
});

test('nothing runs in an untrusted workspace', () => {
  assert.equal(runRefusal(true), undefined);
  assert.equal(runRefusal(false), 'DTrace: running or debugging a script needs a trusted workspace (Manage Workspace Trust).');
});

test('the manifest: limited support in untrusted workspaces, run settings restricted, commands need trust', () => {
  const u = manifest.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, 'limited');
  assert.match(u.description, /needs? a trusted workspace/);
  // Settings that decide what runs (a live capture's command, -x options such as cpppath):
  // VS Code ignores a workspace's values of these until it is trusted.
  assert.deepEqual([...u.restrictedConfigurations].sort(), ['dtrace.firingsSource', 'dtrace.options']);
  const props = manifest.contributes.configuration.properties;
  for (const s of u.restrictedConfigurations as string[]) assert.ok(props[s], `${s} is a contributed setting`);
  const commands = manifest.contributes.commands as { command: string; enablement?: string }[];
  for (const id of ['dtrace.runScript', 'dtrace.debugScript']) assert.equal(commands.find((c) => c.command === id)?.enablement, 'isWorkspaceTrusted', id);
  for (const m of manifest.contributes.menus['editor/title/run'] as { when: string }[]) assert.match(m.when, /isWorkspaceTrusted/);
  // The language server reads #include paths but never runs the preprocessor (see below).
  assert.match(props['dtrace.includePaths'].markdownDescription, /does not run the preprocessor/);
});

test('every client path that runs something checks trust first; the debug adapter factory refuses', () => {
  const dir = join(root, 'client', 'src');
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    if (/\bspawn\(|\bexecFile\(|startDebugging\(|DebugAdapterInlineImplementation\(|resolveDebugConfiguration\(/.test(text)) assert.match(text, /runRefusal\(vscode\.workspace\.isTrusted\)/, `${f} runs something without checking trust`);
  }
  const debugging = readFileSync(join(dir, 'debugging.ts'), 'utf8');
  const factory = debugging.slice(debugging.indexOf('createDebugAdapterDescriptor'));
  assert.ok(factory.indexOf('runRefusal(') < factory.indexOf('new vscode.DebugAdapterInlineImplementation'), 'the factory checks trust before creating the adapter');
  assert.match(factory, /throw new Error\(refused\)/);
  const lens = readFileSync(join(dir, 'scriptCodeLens.ts'), 'utf8');
  assert.match(lens, /if \(!vscode\.workspace\.isTrusted\) return \[\];/);
});

/** Every module the language server loads (relative imports followed from server.ts). */
function serverModules(): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const base = resolve(dirname(file), m[1]!);
      const next = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && p.endsWith('.ts'));
      if (next) visit(next);
    }
  };
  visit(join(root, 'server', 'src', 'lsp', 'server.ts'));
  return seen;
}

test('the language server never runs a tool: no cpp, no system(), no strace in what it loads', () => {
  const modules = serverModules();
  assert.ok(modules.size > 20, `followed ${modules.size} modules`);
  for (const file of modules) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /node:child_process|'child_process'/, `${file} can start processes`);
  }
  const names = [...modules].map((f) => f.slice(root.length + 1));
  for (const runner of ['server/src/cli/preprocess.ts', 'server/src/consume/systemCommand.ts', 'server/src/sources/strace/capture.ts']) assert.ok(!names.includes(runner), runner);
});

test('a live capture is confirmed with the exact command line; replayable sources are not', () => {
  const trace = launchConfigurationFor('/w/a.d', '/w', settings({ firingsSource: { trace: 't.ndjson' } }), 'r');
  assert.equal(liveCapture(trace), undefined);
  assert.equal(liveCaptureConfirmation(trace, dtvmArguments(trace)), undefined);
  assert.equal(liveCapture(launchConfigurationFor('/w/a.d', '/w', settings({ firingsSource: { workload: 'w.json' } }), 'r')), undefined);
  assert.equal(liveCapture(launchConfigurationFor('/w/a.d', '/w', settings(), 'r')), undefined);

  const cmd = launchConfigurationFor('/w/my script.d', '/w', settings({ firingsSource: { command: "sh -c 'rm -rf ~'; echo $HOME" } }), 'r');
  const ask = liveCaptureConfirmation(cmd, dtvmArguments(cmd))!;
  assert.deepEqual(ask, {
    message: "DTrace: start `sh -c 'rm -rf ~'; echo $HOME` and capture its system calls with strace?",
    detail: `This runs, in /w:\ndtvm -s '/w/my script.d' -c 'sh -c '\\''rm -rf ~'\\''; echo $HOME'`,
    accept: 'Start Capture',
  });
  const pid = launchConfigurationFor('/w/a.d', undefined, settings({ firingsSource: { pid: 4242 } }), 'r');
  assert.deepEqual(liveCaptureConfirmation(pid, dtvmArguments(pid)), {
    message: 'DTrace: attach strace to process 4242 and capture its system calls?',
    detail: "This runs, in the script's folder:\ndtvm -s /w/a.d -p 4242",
    accept: 'Start Capture',
  });
  // A launch.json the adapter would accept: a pid as a string, or command beside another source.
  assert.deepEqual(liveCapture({ pid: '77' as unknown as number }), { pid: 77 });
  assert.deepEqual(liveCapture({ trace: 't', command: 'ls' }), { command: 'ls' });
  // Quoting round-trips through a POSIX shell's rules.
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(commandLine(['-s', 'a.d', '-c', 'ls -l']), "dtvm -s a.d -c 'ls -l'");
});

const HOSTILE = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '```\n[click](command:workbench.action.terminal.new)\n```', '](javascript:alert(1))', '\u202e\u0000\x1b[31m'];

test('the aggregation hover keeps hostile trace strings inside one code fence', () => {
  const md = hoverMarkdown({ name: '@evil', func: 'count', rows: HOSTILE.map((k, i) => ({ keys: [k], value: String(i + 1) })) });
  const lines = md.split('\n');
  const open = lines.findIndex((l) => /^`{3,}text$/.test(l));
  const fence = lines[open]!.replace(/text$/, '');
  assert.ok(fence.length > 3, 'the fence is longer than any backtick run in the keys');
  const close = lines.lastIndexOf(fence);
  assert.equal(close, lines.length - 1, 'the fence closes only at the end');
  assert.equal(lines.slice(open + 1, close).filter((l) => l === fence).length, 0);
  // Everything before the fence is ours: the name and the function.
  assert.deepEqual(lines.slice(0, open), ['**@evil** = `count()`, 5 keys', '']);
  for (const k of HOSTILE) for (const part of k.split('\n')) assert.ok(lines.slice(open + 1, close).some((l) => l.includes(part)), `${JSON.stringify(part)} shown as text`);
  // The hover is a plain MarkdownString: not trusted (no command: links), no HTML.
  const previews = readFileSync(join(root, 'client', 'src', 'tracePanel', 'aggregationPreviews.ts'), 'utf8');
  assert.match(previews, /new vscode\.MarkdownString\(hoverMarkdown\(a\)\)/);
  assert.doesNotMatch(previews, /isTrusted|supportHtml|supportThemeIcons/);
});

test('inline previews are plain decoration text', () => {
  const text = inlinePreview({ name: '@evil', func: 'count', rows: [{ keys: [HOSTILE[0]!], value: '1' }] }, 200);
  assert.equal(text, '@evil: <script>alert(1)</script> 1');
  const previews = readFileSync(join(root, 'client', 'src', 'tracePanel', 'aggregationPreviews.ts'), 'utf8');
  assert.match(previews, /contentText/);
});

test('the trace panel page: a strict CSP with a nonce, nothing remote, no inline handlers; a fresh random nonce', () => {
  const html = panelPage({ nonce: 'N0NCE', cspSource: 'vscode-resource:', script: 'vscode-resource:/dist/tracePanel.js', style: 'vscode-resource:/dist/tracePanel.css' });
  const csp = /content="([^"]+)"/.exec(html)![1]!;
  assert.equal(csp, "default-src 'none'; img-src vscode-resource: data:; style-src vscode-resource: 'nonce-N0NCE'; script-src 'nonce-N0NCE'");
  assert.doesNotMatch(html, /https?:\/\//);
  assert.doesNotMatch(html, /\son\w+=/);
  for (const tag of html.match(/<script[^>]*>/g) ?? []) assert.match(tag, /nonce="N0NCE"/);
  const panel = readFileSync(join(root, 'client', 'src', 'tracePanel', 'panel.ts'), 'utf8');
  assert.match(panel, /randomBytes|getRandomValues|randomUUID/);
  assert.doesNotMatch(panel, /enableCommandUris/);
  // The page script builds the DOM from text, never from HTML strings.
  for (const f of readdirSync(join(root, 'client', 'webview')).filter((n) => n.endsWith('.ts'))) {
    assert.doesNotMatch(readFileSync(join(root, 'client', 'webview', f), 'utf8'), /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/, f);
  }
});
