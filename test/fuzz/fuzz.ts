// A seeded, deterministic fuzzer (issue 10). Targets:
//   script  - corpus D scripts mutated (byte flips, token splices, deep nesting, huge literals,
//             1 MB lines, invalid UTF-8) through dtvm: parser, front end, codegen, verifier, VM
//   program - random well-formed D programs (test/support/randomPrograms.ts) compiled and run
//   dif     - random DIF objects through the verifier; accepted ones run through the engine
//   trace   - garbled, truncated and hostile trace files through dtvm --trace (the reader)
//   lsp     - the mutated scripts opened in the language server (bin/dtrace-language-server),
//             then a dozen random feature requests at random positions
// Input i of target t under seed s is a pure function of (t, s, i): every failure prints them.
// Invariants checked per input: no host exception (dtvm internal error), a time budget, a
// located rejection (script: `script <path>: line N:`; trace: `<path>:<line>: `), bounded RSS.
// Each input runs in a worker thread (fuzzWorker.ts) that is terminated when it overruns the
// budget or dies; `runOne` alone (the regression tests) runs in-process.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { dtvm } from '../support/runDtvm.ts';
import { startLanguageServer, type LspClient } from '../support/lspClient.ts';
import { allProcesses } from '../support/processes.ts';
import { randomProgram } from '../support/randomPrograms.ts';
import { xorshift, type SeededRandom } from '../support/xorshift.ts';
import { createDifo } from '../../server/src/dif/difo.ts';
import { verifyDifo } from '../../server/src/dif/verifier.ts';
import { LIBRARY_ERROR_MESSAGES } from '../../server/src/codegen/errors.ts';
import { enabling, action, program, runCompiled } from '../support/difProgram.ts';

export const TARGETS = ['script', 'program', 'dif', 'trace', 'lsp'] as const;
export type Target = (typeof TARGETS)[number];
export interface Failure { target: Target; seed: number; index: number; kind: string; detail: string }
export interface FuzzReport { tried: Record<string, number>; failures: Failure[] }

const TINY = 'test/fixtures/workloads/tiny.json';
const TRACE = 'test/fixtures/traces/tiny.ndjson';
const PER_INPUT_MS = Number(process.env.FUZZ_INPUT_MS ?? 10_000);
const RSS_LIMIT = Number(process.env.FUZZ_RSS_MB ?? 2048) * 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'dtvm-fuzz-'));

export function corpus(): string[] {
  const out: string[] = [];
  for (const d of ['test/fixtures/run', ...['common', 'illumos', 'freebsd', 'macos', 'linux'].map((f) => `test/fixtures/scripts/${f}`)]) {
    for (const f of readdirSync(d)) if (f.endsWith('.d')) out.push(readFileSync(join(d, f), 'utf8'));
  }
  return out;
}
let CORPUS: string[] | undefined;

export const rnd = (seed: number, index: number): SeededRandom => xorshift((seed * 2654435761) ^ (index * 40503 + 0x9e3779b9));
const int = (r: SeededRandom, n: number): number => Math.floor(r.random() * n);

export function mutate(r: SeededRandom, text: string): Buffer {
  let s = text;
  const tokens = text.match(/[A-Za-z_][A-Za-z0-9_]*|\d+|"[^"\n]*"|\S/g) ?? ['x'];
  for (let k = 1 + int(r, 3); k > 0; k--) {
    const at = int(r, s.length + 1);
    switch (int(r, 8)) {
      case 0: s = s.slice(0, at) + r.pick(tokens) + s.slice(at); break; // token splice
      case 1: s = s.slice(0, at) + s.slice(at + 1 + int(r, 20)); break; // deletion
      case 2: { const d = 1 + int(r, 3000); s = s.slice(0, at) + '('.repeat(d) + '1' + ')'.repeat(r.random() < 0.5 ? d : int(r, d)) + s.slice(at); break; } // deep nesting
      case 3: s = s.slice(0, at) + r.pick(['9'.repeat(1 + int(r, 5000)), '0x' + 'f'.repeat(40), '"' + 'a'.repeat(int(r, 200000)) + '"', '1e999', "'abcdefghij'"]) + s.slice(at); break; // huge literals
      case 4: if (r.random() < 0.2) s = s.slice(0, at) + 'x'.repeat(1 << 20) + s.slice(at); break; // 1 MB line
      case 5: s = s.slice(0, at) + r.pick(['{', '}', '/', '*', ';', '#', '"', '\\', '[', '@', '$1', '->', '?', 'if', 'else']) + s.slice(at); break;
      case 6: s = s.slice(0, at) + s.slice(int(r, s.length), int(r, s.length)) + s.slice(at); break; // self splice
      default: break;
    }
  }
  const b = Buffer.from(s, 'utf8');
  const flips = int(r, 4);
  for (let k = 0; k < flips && b.length > 0; k++) b[int(r, b.length)] = r.random() < 0.5 ? int(r, 256) : r.pick([0xff, 0xc3, 0x80, 0xed, 0x00]); // byte flips, invalid UTF-8
  return b;
}

function macros(text: string): string[] {
  let max = 0;
  for (const m of text.matchAll(/\$\$?(\d+)/g)) max = Math.max(max, Math.min(9, Number(m[1])));
  return Array.from({ length: max }, (_, i) => String(i + 1));
}

// DTrace's library errors, which dtrace(1) prints without a line (the editor still gets a range).
const LIBRARY_ERRORS = new RegExp(`: (${Object.values(LIBRARY_ERROR_MESSAGES).join('|')})$`);

/** `located`: what a script rejection's line must match; `traceLocated`: a trace rejection's. */
async function runCli(args: string[], located: RegExp | undefined, traceLocated?: RegExp): Promise<[string, string] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((res) => (timer = setTimeout(() => res('hang'), PER_INPUT_MS)));
  try {
    const r = await Promise.race([dtvm(args), hang]);
    if (r === 'hang') return ['hang', `no result within ${PER_INPUT_MS} ms`];
    if (r.status === 70 || /internal error/.test(r.stderr)) return ['internal-error', r.stderr.slice(0, 500)];
    if (located && r.status !== 0) {
      const bad = r.stderr.split('\n').find((l) => /failed to compile script|trace|line/.test(l) && l !== '' && !located.test(l) && !/matched \d+ probe/.test(l));
      if (bad && /^dtrace: failed to compile script/.test(bad) && !LIBRARY_ERRORS.test(bad)) return ['unlocated-error', bad.slice(0, 300)];
    }
    if (traceLocated && r.status !== 0 && !r.stderr.split('\n').some((l) => traceLocated.test(l))) return ['unlocated-error', r.stderr.slice(0, 300)];
    return undefined;
  } catch (e) {
    return ['exception', e instanceof Error ? (e.stack ?? e.message).slice(0, 800) : String(e)];
  } finally {
    clearTimeout(timer);
  }
}

const TRACE_MUTATORS: ((r: SeededRandom, lines: string[]) => string[])[] = [
  (r, l) => l.slice(0, 1 + int(r, l.length)), // truncated
  (r, l) => { const i = 1 + int(r, l.length - 1); l[i] = l[i]!.replace(/\d+/, r.pick(['99999999999999999999999999', '-1', '1e308', '"7"', 'null', '[]', '{}', '18446744073709551616'])); return l; }, // huge numbers, wrong types
  (r, l) => { const i = int(r, l.length); l[i] = l[i]!.replace(/"[a-z]+":[^,}]*,?/, ''); return l; }, // missing fields
  (r, l) => { const i = 1 + int(r, l.length - 1); l[i] = l[i]!.replace(/"[^"]*"/, `"${'s'.repeat(r.random() < 0.1 ? 10 << 20 : 5000)}"`); return l; }, // 10 MB strings
  (r, l) => { const i = int(r, l.length); l.splice(i, 0, l[int(r, l.length)]!); return l; }, // duplicate/reorder
  (r, l) => { const i = int(r, l.length); const s = l[i]!; const at = int(r, s.length); l[i] = s.slice(0, at) + r.pick(['\u0000', ']', '}', ',', '\ufffd', '"']) + s.slice(at + 1); return l; }, // garble
];

const TRACE_SCRIPTS = [
  'syscall:::entry { @c[probefunc, execname] = count(); @s = sum(arg0); }',
  'syscall:::return /arg1 > 0/ { printf("%d %s\\n", arg1, copyinstr(arg1)); }',
  'syscall::read:entry { trace(stringof(copyin(arg1, 8))); } proc:::exec-success { trace(execname); }',
];

/** One server per fuzzing thread, started at its first `lsp` input (and again if it died). */
let server: LspClient | undefined;
let serverErrors: string[] = [];

async function languageServer(): Promise<LspClient> {
  if (server !== undefined && server.process.exitCode === null && server.process.signalCode === null) return server;
  server = await startLanguageServer();
  serverErrors = [];
  server.connection.onNotification('window/logMessage', (m: { type: number; message: string }) => {
    if (m.type === 1) serverErrors.push(m.message);
  });
  return server;
}

/** Closes this thread's language server (the fuzz worker's and the in-process tests' last step). */
export async function stopLanguageServer(): Promise<void> {
  await server?.stop();
  server = undefined;
}

/** Every feature a request can reach, at `position` (or over `range`) of `uri`. */
function lspRequests(uri: string, position: { line: number; character: number }, range: unknown): [string, unknown][] {
  const doc = { textDocument: { uri } };
  const formatting = { tabSize: 8, insertSpaces: false };
  return [
    ['textDocument/hover', { ...doc, position }],
    ['textDocument/completion', { ...doc, position }],
    ['textDocument/signatureHelp', { ...doc, position }],
    ['textDocument/definition', { ...doc, position }],
    ['textDocument/references', { ...doc, position, context: { includeDeclaration: true } }],
    ['textDocument/documentHighlight', { ...doc, position }],
    ['textDocument/prepareRename', { ...doc, position }],
    ['textDocument/rename', { ...doc, position, newName: 'renamed' }],
    ['textDocument/semanticTokens/full', doc],
    ['textDocument/foldingRange', doc],
    ['textDocument/selectionRange', { ...doc, positions: [position] }],
    ['textDocument/formatting', { ...doc, options: formatting }],
    ['textDocument/rangeFormatting', { ...doc, range, options: formatting }],
    ['textDocument/documentSymbol', doc],
    ['textDocument/inlayHint', { ...doc, range }],
    ['textDocument/codeAction', { ...doc, range, context: { diagnostics: [] } }],
  ];
}

async function runLsp(r: SeededRandom, text: string): Promise<[string, string] | undefined> {
  const c = await languageServer();
  const uri = await c.openNew(text);
  try {
    try {
      await c.diagnostics(uri, 1, PER_INPUT_MS);
    } catch (e) {
      return ['hang', `no diagnostics: ${String(e).slice(0, 200)}`];
    }
    const lines = text.split('\n');
    for (let q = 0; q < 12; q++) {
      const line = int(r, lines.length);
      const position = { line, character: int(r, (lines[line]?.length ?? 0) + 2) };
      const range = { start: position, end: { line: Math.min(lines.length - 1, line + 1 + int(r, 5)), character: 0 } };
      const [method, params] = r.pick(lspRequests(uri, position, range));
      try {
        await c.request(method, params);
      } catch (e) {
        // A refusal the feature means (rename of a member ...) is an answer; a contained
        // handler failure (InternalError, "... failed: ...") is a crash.
        const code = (e as { code?: number }).code;
        if (code === -32603 || /failed: /.test(String(e))) return ['exception', `${method} ${JSON.stringify(params).slice(0, 200)}: ${String(e).slice(0, 500)}`];
      }
    }
    if (serverErrors.length > 0) return ['exception', `logged: ${serverErrors.splice(0).join(' | ').slice(0, 500)}`];
    return undefined;
  } finally {
    if (c.process.exitCode === null) await c.close(uri);
  }
}

export async function runOne(target: Target, seed: number, index: number): Promise<Failure | undefined> {
  const r = rnd(seed, index);
  let res: [string, string] | undefined;
  if (target === 'lsp') {
    CORPUS ??= corpus();
    res = await runLsp(r, mutate(r, r.pick(CORPUS)).toString('utf8'));
  } else if (target === 'script') {
    CORPUS ??= corpus();
    const bytes = mutate(r, r.pick(CORPUS));
    const path = join(dir, `s${index}.d`);
    writeFileSync(path, bytes);
    res = await runCli(['--workload', TINY, ...(r.random() < 0.5 ? ['-Z'] : []), '-q', '-s', path, ...macros(bytes.toString('latin1'))], /failed to compile script [^:]+: (\[\w+\] )?(line \d+|"[^"]+", line \d+): /);
  } else if (target === 'program') {
    const path = join(dir, `p${index}.d`);
    writeFileSync(path, randomProgram(seed * 100003 + index));
    res = await runCli(['--workload', TINY, '-q', '-s', path], undefined);
  } else if (target === 'trace') {
    const lines = readFileSync(TRACE, 'utf8').split('\n').filter((l) => l !== '');
    let out = r.pick(TRACE_MUTATORS)(r, lines);
    if (out.length > 1) out = r.pick(TRACE_MUTATORS)(r, out);
    const path = join(dir, `t${index}.ndjson`);
    writeFileSync(path, out.join('\n') + (r.random() < 0.8 ? '\n' : ''));
    res = await runCli(['--trace', path, '-Z', '-q', ...(r.random() < 0.3 ? ['--skip-bad-records'] : []), '-n', r.pick(TRACE_SCRIPTS)], undefined, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `));
  } else {
    const n = 1 + int(r, 24);
    const words = Array.from({ length: n }, () => (r.random() < 0.7 ? ((int(r, 0x50) << 24) | int(r, 0x1000000)) >>> 0 : int(r, 0x100000000)));
    if (r.random() < 0.7) words[n - 1] = ((0x17 << 24) | int(r, 8)) >>> 0; // often end in ret
    const difo = createDifo({ instructions: words, intTable: [0n, 1n, 0xffffffffffffffffn], stringTable: Buffer.from('abc\0de\0') });
    try {
      const v = verifyDifo(difo);
      if (v.ok) {
        let timer: NodeJS.Timeout | undefined;
        const hang = new Promise<'hang'>((res2) => (timer = setTimeout(() => res2('hang'), PER_INPUT_MS)));
        const ran = await Promise.race([runCompiled(program([enabling(1, [1], [action(difo)])])), hang]);
        clearTimeout(timer);
        if (ran === 'hang') res = ['hang', 'accepted DIF object did not terminate'];
      } else if (!v.error?.message) res = ['unlocated-error', 'verifier rejection without a message'];
    } catch (e) {
      res = ['exception', `${words.map((w) => w.toString(16)).join(' ')}: ${e instanceof Error ? (e.stack ?? e.message).slice(0, 800) : String(e)}`];
    }
  }
  if (!res && process.memoryUsage().rss > RSS_LIMIT) res = ['memory', `rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`];
  return res ? { target, seed, index, kind: res[0], detail: res[1] } : undefined;
}

/** Ends the language servers this process started (a terminated thread leaves its child running). */
function killServers(): void {
  for (const { pid, st } of allProcesses()) {
    try {
      if (st.ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dtrace-language-server')) process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * Runs inputs one after another in a worker thread, so that a hang (even a synchronous loop)
 * is cut at PER_INPUT_MS, and a crash that poisons the process (a wasm memory corruption)
 * costs only that worker: the next input gets a fresh one.
 */
class Supervisor {
  private worker: Worker | undefined;

  run(target: Target, seed: number, index: number): Promise<Failure | undefined> {
    const worker = (this.worker ??= new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(join(__dirname, 'fuzzWorker.ts'))});`, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: RSS_LIMIT / (1024 * 1024) },
    }));
    return new Promise((resolve) => {
      const fail = (kind: string, detail: string): void => {
        done();
        // The thread is cut short: its language server (if any) is found by pid and ended.
        this.worker = undefined;
        void worker.terminate();
        killServers();
        resolve({ target, seed, index, kind, detail });
      };
      const timer = setTimeout(() => fail('hang', `no result within ${PER_INPUT_MS} ms`), PER_INPUT_MS);
      const onMessage = (f: Failure | null): void => {
        done();
        resolve(f ?? undefined);
      };
      const onError = (e: Error & { code?: string }): void =>
        fail(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'exception', (e.stack ?? e.message).slice(0, 800));
      const onExit = (code: number): void => fail('exception', `worker exited with status ${code}`);
      const done = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ target, seed, index });
    });
  }

  /** Lets the worker end its language server (a child process outlives a terminated thread). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      worker.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage('stop');
    });
    await worker.terminate();
  }
}

export async function fuzz(targets: readonly Target[], seed: number, msPerTarget: number, log?: (s: string) => void): Promise<FuzzReport> {
  const report: FuzzReport = { tried: {}, failures: [] };
  const supervisor = new Supervisor();
  try {
    for (const t of targets) {
      const end = Date.now() + msPerTarget;
      let i = 0;
      for (; Date.now() < end; i++) {
        if (process.env.FUZZ_VERBOSE) log?.(`${t} ${i}\n`);
        const f = await supervisor.run(t, seed, i);
        if (f) {
          report.failures.push(f);
          log?.(`FAIL ${t} seed=${seed} index=${i} ${f.kind}: ${f.detail}\n`);
        }
      }
      report.tried[t] = i;
      log?.(`${t}: ${i} inputs, ${report.failures.filter((f) => f.target === t).length} failures\n`);
    }
  } finally {
    await supervisor.close();
  }
  return report;
}

// npm run fuzz -- [seconds per target] [seed] [target,...]   or   --one target seed index
if (require.main === module) {
  const a = process.argv.slice(2);
  void (async () => {
    if (a[0] === '--one') {
      const f = await runOne(a[1] as Target, Number(a[2]), Number(a[3]));
      console.log(f ? JSON.stringify(f, null, 1) : 'ok');
      process.exit(f ? 1 : 0);
    }
    const secs = Number(a[0] ?? 150);
    const seed = Number(a[1] ?? Date.now() % 1_000_000);
    const targets = (a[2]?.split(',') ?? TARGETS) as Target[];
    process.stdout.write(`fuzz seed=${seed} ${secs}s per target\n`);
    const r = await fuzz(targets, seed, secs * 1000, (s) => process.stdout.write(s));
    process.stdout.write(JSON.stringify(r.tried) + ` failures=${r.failures.length}\n`);
    process.exit(r.failures.length ? 1 : 0);
  })();
}
