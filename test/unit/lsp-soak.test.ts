// The language server under a soak, over stdio like an editor: seeded random edits (characters
// and lines typed and deleted, clauses pasted and deleted, several changes in one didChange) on
// several open documents, with hover, completion, semantic-token and document-symbol requests
// in flight between them, a share of them cancelled. What must hold:
//   - the server process never exits;
//   - every request is answered: a result, or the RequestCancelled error for one cancelled
//     (an error response of any other kind is a failure: a contained crash is still a crash);
//   - diagnostics never go back to an older version of a document, and the last ones published
//     for each document are for its final version and equal those a fresh server publishes for
//     the final text (the incremental trees and analysis agree with a from-scratch one);
//   - memory is flat: the server's heap, external memory (the tree-sitter wasm heap) and RSS
//     after the run (garbage collected) are within a bound of what they were after warm-up.
// `npm test` runs a few hundred edits; LSP_SOAK=10000 runs the long soak (LSP_SOAK_SEED=n for
// another seed). The numbers are printed as a diagnostic line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { startLanguageServer, type LspClient } from '../support/lspClient';
import { xorshift, type SeededRandom } from '../support/xorshift';

const repo = join(__dirname, '..', '..');
const EDITS = Number(process.env.LSP_SOAK ?? 500);
const SEED = Number(process.env.LSP_SOAK_SEED ?? 20261127);
const REQUEST_CANCELLED = -32800;

const examples = readdirSync(join(repo, 'examples'))
  .filter((f) => f.endsWith('.d'))
  .sort()
  .map((f) => readFileSync(join(repo, 'examples', f), 'utf8'));

/** Clauses pasted whole (each ends with a newline; some are wrong on purpose). */
const CLAUSES = [
  'syscall::read:entry\n/execname == "cat"/\n{\n\tself->ts = timestamp;\n}\n',
  'syscall::read:return\n/self->ts/\n{\n\t@lat[execname] = quantize(timestamp - self->ts);\n\tself->ts = 0;\n}\n',
  'BEGIN\n{\n\tprintf("%d %s\\n", pid, execname);\n}\n',
  'tick-1s\n{\n\tprinta(@lat);\n\ttrunc(@lat);\n}\n',
  'syscall::open*:entry\n{\n\tthis->path = copyinstr(arg0);\n\ttrace(this->path);\n}\n',
  'profile-997\n/arg0/\n{\n\t@pc[stack()] = count();\n}\n',
  'END\n{\n\tprinta("%-20s %@d\\n", @calls);\n}\n',
  'syscall:::entry\n{\n\tx = arg0 + ;\n}\n',
  'proc:::exec-success\n{\n\tif (pid > 100) {\n\t\ttrace(curpsinfo->pr_psargs);\n\t} else {\n\t\tcounter++;\n\t}\n}\n',
  'fbt::vm_fault:entry\n{\n\tself->t = vtimestamp;\n}\n',
  'inline int LIMIT = 10;\n',
  'struct point { int x; int y; };\n',
  '#pragma D option quiet\n',
  'this string s;\n',
];
/** Lines typed whole. */
const LINES = ['\ttrace(arg0);\n', '\t@c[probefunc] = count();\n', '/pid == $target/\n', '{\n', '}\n', '\tprintf("%s\\n", stringof(arg1));\n', '\n', '\tself->x = 0\n', '#define X 1\n', '\tthis->v = args[0]->b_bcount;\n'];
/** Characters typed (D's punctuation weighted in). */
const CHARS = 'abcdefghijklmnopqrstuvwxyz_0123456789 \t\n;{}()/*->@$"#[],.=+!&|:';

interface Doc {
  uri: string;
  doc: TextDocument;
}

/** One random edit of `text`: the content changes an editor would send. */
function randomChanges(rnd: SeededRandom, d: TextDocument): TextDocumentContentChangeEvent[] {
  const text = d.getText();
  const big = text.length > 6000;
  const lines = text.split('\n');
  const lineStart = (l: number): number => lines.slice(0, l).reduce((n, x) => n + x.length + 1, 0);
  const at = Math.floor(rnd.random() * (text.length + 1));
  const range = (from: number, to: number) => ({ start: d.positionAt(from), end: d.positionAt(to) });
  if (text.length < 1500 && rnd.random() < 0.25) {
    // A short document gets clauses pasted (deletions would otherwise wear it down to nothing).
    const l = Math.floor(rnd.random() * (lines.length + 1));
    const s = Math.min(text.length, lineStart(l));
    return [{ range: range(s, s), text: rnd.pick(CLAUSES) }];
  }
  const r = rnd.random();
  if (r < (big ? 0.2 : 0.35)) {
    // Type a few characters.
    let s = '';
    for (let n = 1 + Math.floor(rnd.random() * 4); n > 0; n--) s += CHARS[Math.floor(rnd.random() * CHARS.length)];
    return [{ range: range(at, at), text: s }];
  }
  if (r < 0.55) {
    // Backspace or delete a few characters.
    const n = 1 + Math.floor(rnd.random() * 8);
    return [{ range: range(Math.max(0, at - n), at), text: '' }];
  }
  if (r < 0.65) {
    const l = Math.floor(rnd.random() * (lines.length + 1));
    const s = Math.min(text.length, lineStart(l));
    return [{ range: range(s, s), text: rnd.pick(LINES) }];
  }
  if (r < 0.72 && lines.length > 1) {
    // Delete a line.
    const l = Math.floor(rnd.random() * (lines.length - 1));
    const s = lineStart(l);
    return [{ range: range(s, s + lines[l]!.length + 1), text: '' }];
  }
  if (r < (big ? 0.74 : 0.84)) {
    // Paste a clause at a line start.
    const l = Math.floor(rnd.random() * (lines.length + 1));
    const s = Math.min(text.length, lineStart(l));
    return [{ range: range(s, s), text: rnd.pick(CLAUSES) }];
  }
  if (r < 0.94) {
    // Delete a clause: from a line at column 0 that opens one, to the next line `}`.
    const starts: [number, number][] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '' || /^[\s{}#/]/.test(line)) continue;
      const close = lines.indexOf('}', i + 1);
      if (close > i && close - i < 30) starts.push([i, close]);
    }
    if (starts.length > 0) {
      const [from, to] = rnd.pick(starts);
      return [{ range: range(lineStart(from), Math.min(text.length, lineStart(to + 1))), text: '' }];
    }
  }
  // Two changes in one didChange (each applies to the text the previous one made): a
  // character typed at the end, then one removed near the start.
  const end = text.length;
  return [
    { range: range(end, end), text: rnd.pick(['\n', ' ', ';', '}']) },
    { range: { start: d.positionAt(0), end: d.positionAt(Math.min(1, end)) }, text: '' },
  ];
}

/** Reads the server's memory after a garbage collection (test/support/gcProbe.cjs). */
async function memoryOf(client: LspClient, file: string): Promise<{ rss: number; heapUsed: number; external: number; arrayBuffers: number }> {
  rmSync(file, { force: true });
  client.process.kill('SIGUSR2');
  const end = Date.now() + 10_000;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error('no memory report from the server');
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 20));
  return JSON.parse(readFileSync(file, 'utf8'));
}

const MB = 1024 * 1024;

test(`language server soak: ${EDITS} random edits on 4 documents with concurrent, cancelled requests`, { timeout: Math.max(60_000, EDITS * 200) }, async () => {
  const rnd = xorshift(SEED);
  const memFile = join(mkdtempSync(join(tmpdir(), 'lsp-soak-')), 'memory.json');
  const previousEnv = process.env.DTRACE_TEST_MEMORY_FILE;
  process.env.DTRACE_TEST_MEMORY_FILE = memFile;
  const client = await startLanguageServer({ nodeArgs: ['--expose-gc', '--require', join(repo, 'test', 'support', 'gcProbe.cjs')] });
  if (previousEnv === undefined) delete process.env.DTRACE_TEST_MEMORY_FILE;
  else process.env.DTRACE_TEST_MEMORY_FILE = previousEnv;
  let exited: string | undefined;
  client.process.once('exit', (code, signal) => (exited = `exit code ${code} signal ${signal}`));
  const logged: string[] = [];
  client.connection.onNotification('window/logMessage', (p: { message: string }) => void logged.push(p.message));

  const stats = { reopened: 0, edits: 0, changes: 0, requests: 0, answered: 0, cancelled: 0, cancelledAnswered: 0, byMethod: {} as Record<string, number> };
  const failures: string[] = [];
  const docs: Doc[] = [];
  try {
    for (let i = 0; i < 4; i++) {
      const text = examples[i % examples.length]! + (i >= examples.length ? CLAUSES[i]! : '');
      const uri = `file:///soak/doc${i}.d`;
      await client.open(uri, text, 1);
      docs.push({ uri, doc: TextDocument.create(uri, 'dtrace', 1, text) });
    }

    let outstanding: Promise<void>[] = [];
    const request = (d: Doc): void => {
      const text = d.doc.getText();
      const offset = Math.floor(rnd.random() * (text.length + 1));
      const position = rnd.random() < 0.05 ? { line: d.doc.lineCount + 3, character: 200 } : d.doc.positionAt(offset);
      const textDocument = { uri: d.uri };
      const kinds: [string, unknown][] = [
        ['textDocument/hover', { textDocument, position }],
        ['textDocument/completion', { textDocument, position }],
        ['textDocument/semanticTokens/full', { textDocument }],
        ['textDocument/documentSymbol', { textDocument }],
      ];
      const [method, params] = rnd.pick(kinds);
      const source = new CancellationTokenSource();
      const cancel = rnd.random() < 0.3;
      stats.requests++;
      stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
      const version = d.doc.version;
      const p = client.connection.sendRequest(method, params, source.token).then(
        () => {
          stats.answered++;
          if (cancel) stats.cancelledAnswered++;
        },
        (e: unknown) => {
          if (cancel && e instanceof ResponseError && e.code === REQUEST_CANCELLED) {
            stats.cancelled++;
            return;
          }
          failures.push(`${method} on ${d.uri} v${version}: ${e instanceof Error ? e.message : String(e)}`);
        },
      );
      if (cancel) {
        const when = rnd.random();
        if (when < 0.4) source.cancel();
        else if (when < 0.7) setImmediate(() => source.cancel());
        else setTimeout(() => source.cancel(), Math.floor(rnd.random() * 5));
      }
      outstanding.push(p);
    };
    const settle = async (): Promise<void> => {
      const all = outstanding;
      outstanding = [];
      await Promise.all(all);
    };

    const warmUp = Math.min(200, Math.floor(EDITS / 5));
    let warm: Awaited<ReturnType<typeof memoryOf>> | undefined;
    const samples: string[] = [];
    for (let step = 0; step < EDITS; step++) {
      if (step % 250 === 125) {
        // Now and then a document is closed and opened again (its versions start over).
        const d = docs[Math.floor(rnd.random() * docs.length)]!;
        await client.close(d.uri);
        if (rnd.random() < 0.5) request(d);
        d.doc = TextDocument.create(d.uri, 'dtrace', 1, d.doc.getText());
        await client.open(d.uri, d.doc.getText(), 1);
        stats.reopened++;
      }
      const d = docs[Math.floor(rnd.random() * docs.length)]!;
      const changes = randomChanges(rnd, d.doc);
      const version = d.doc.version + 1;
      d.doc = TextDocument.update(d.doc, changes, version);
      await client.change(d.uri, version, changes);
      stats.edits++;
      stats.changes += changes.length;
      const r = rnd.random();
      const n = r < 0.35 ? 0 : r < 0.8 ? 1 : 2 + Math.floor(rnd.random() * 3);
      for (let k = 0; k < n; k++) request(rnd.random() < 0.8 ? d : rnd.pick(docs));
      // Now and then a pause long enough for the debounced diagnostics to go out mid-run.
      if (rnd.random() < 0.05) await new Promise((res) => setTimeout(res, Math.floor(rnd.random() * 40)));
      if (outstanding.length >= 24) await settle();
      assert.equal(exited, undefined, `the server ended at edit ${step}`);
      if (step + 1 > warmUp && (step + 1 - warmUp) % Math.max(1000, Math.floor(EDITS / 10)) === 0) {
        await settle();
        const m = await memoryOf(client, memFile);
        samples.push(`${step + 1}: rss ${(m.rss / MB).toFixed(1)} heap ${(m.heapUsed / MB).toFixed(1)}`);
      }
      if (step + 1 === warmUp) {
        await settle();
        await quiet(client);
        warm = await memoryOf(client, memFile);
      }
    }
    await settle();
    assert.equal(exited, undefined, 'the server ended');
    assert.deepEqual(failures, [], `failed requests (server log:\n${logged.join('\n')})`);

    // The last diagnostics of each document are its final version's, and nothing older comes after.
    for (const d of docs) await client.diagnostics(d.uri, d.doc.version, 30_000);
    await quiet(client);
    const last = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
    const seen = new Map<string, number>();
    for (const p of client.published) {
      // Closing a document clears its diagnostics (no version); it starts over when opened again.
      if (p.version === undefined && p.diagnostics.length === 0) {
        seen.delete(p.uri);
        continue;
      }
      const before = seen.get(p.uri) ?? 0;
      assert.ok((p.version ?? 0) >= before, `diagnostics of ${p.uri} went back from version ${before} to ${p.version}`);
      seen.set(p.uri, p.version ?? 0);
      last.set(p.uri, p);
    }
    for (const d of docs) assert.equal(last.get(d.uri)?.version, d.doc.version, `${d.uri}: last diagnostics are not for the final version`);

    const after = await memoryOf(client, memFile);
    const before = warm!;
    // What a fresh server says about the final texts.
    const fresh = await startLanguageServer();
    try {
      for (const d of docs) {
        await fresh.open(d.uri, d.doc.getText(), d.doc.version);
        const expected = await fresh.diagnostics(d.uri, d.doc.version, 30_000);
        assert.deepEqual(last.get(d.uri)!.diagnostics, expected, `${d.uri}: diagnostics differ from a fresh server's for the final text:\n${d.doc.getText()}`);
      }
    } finally {
      await fresh.stop();
    }
    const internal = logged.filter((m) => /failed:|unhandled:/.test(m));
    assert.deepEqual(internal, [], 'the server logged handler failures');
    console.log(
      `# soak seed ${SEED}: ${stats.edits} edits (${stats.changes} content changes, ${stats.reopened} documents closed and reopened), ${stats.requests} requests ${JSON.stringify(stats.byMethod)}, ` +
        `${stats.answered} answered, ${stats.cancelled} cancelled (cancel sent, answered anyway: ${stats.cancelledAnswered}), ` +
        `final sizes ${docs.map((d) => d.doc.getText().length).join('/')} chars; ` +
        `rss ${(before.rss / MB).toFixed(1)} -> ${(after.rss / MB).toFixed(1)} MB, heap ${(before.heapUsed / MB).toFixed(1)} -> ${(after.heapUsed / MB).toFixed(1)} MB, ` +
        `external ${(before.external / MB).toFixed(1)} -> ${(after.external / MB).toFixed(1)} MB` +
        (samples.length > 0 ? `; along the way (edit: MB) ${samples.join(', ')}` : ''),
    );
    assert.ok(after.heapUsed <= before.heapUsed * 1.5 + 16 * MB, `heap grew from ${before.heapUsed} to ${after.heapUsed}`);
    // RSS is noisy (V8 and the wasm heap give pages back late: ±40 MB between samples of a
    // flat run); the heap above and `external` (tree-sitter's wasm memory, which only grows:
    // leaked trees) are the sharp measures.
    assert.ok(after.external <= before.external + 8 * MB, `external memory grew from ${before.external} to ${after.external}`);
    assert.ok(after.rss <= before.rss * 1.5 + 64 * MB, `RSS grew from ${before.rss} to ${after.rss}`);
    assert.equal(exited, undefined, 'the server ended');
  } finally {
    await client.stop();
  }
});

/** Waits until the server has published nothing for a while (the debounced analyses are done). */
async function quiet(client: LspClient, ms = 400): Promise<void> {
  let count = -1;
  while (count !== client.notifications.length) {
    count = client.notifications.length;
    await new Promise((r) => setTimeout(r, ms));
  }
}
