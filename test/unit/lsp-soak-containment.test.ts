// A feature handler that throws costs its request, never the server: every request the server
// offers is sent with parameters a buggy client might send (none, no position, a document the
// server never saw, positions far outside the text), which makes handlers throw for real (no
// test hook). Each gets an answer: a result, a refusal the handler means (RequestFailed), or
// an InternalError response naming the handler;
// every such failure is logged with its stack (window/logMessage, type Error); the server is
// still alive and answers normal requests correctly afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { Hover } from 'vscode-languageserver-protocol';
import { startLanguageServer, pos } from '../support/lspClient';

const INTERNAL_ERROR = -32603;
const REQUEST_FAILED = -32803;

const POSITIONAL = [
  'textDocument/hover',
  'textDocument/completion',
  'textDocument/signatureHelp',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/documentHighlight',
  'textDocument/prepareRename',
  'textDocument/rename',
];
const WHOLE = ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/semanticTokens/full', 'textDocument/formatting'];
const RANGED = ['textDocument/codeAction', 'textDocument/rangeFormatting', 'textDocument/semanticTokens/range', 'textDocument/inlayHint', 'textDocument/selectionRange'];

test('a throwing feature handler fails its request with a logged InternalError and the server lives', { timeout: 60_000 }, async () => {
  const client = await startLanguageServer();
  const logs: { type: number; message: string }[] = [];
  client.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => void logs.push(p));
  let exited = false;
  client.process.once('exit', () => (exited = true));
  try {
    const uri = await client.openNew('BEGIN\n{\n\tx = 1;\n\ttrace(x);\n}\n');
    await client.diagnostics(uri, 1);
    const textDocument = { uri };
    const far = { line: 1e9, character: -5 };
    const cases: [string, unknown][] = [];
    for (const m of [...POSITIONAL, ...WHOLE, ...RANGED, 'workspace/symbol', 'workspace/executeCommand']) {
      cases.push([m, {}], [m, { textDocument }]);
    }
    for (const m of POSITIONAL) cases.push([m, { textDocument, position: far, newName: 'y', context: { includeDeclaration: true } }], [m, { textDocument, position: { line: 'x' } }]);
    for (const m of RANGED) cases.push([m, { textDocument, range: { start: far, end: { line: -1, character: 0 } }, positions: [far], context: { diagnostics: [] }, options: {} }]);
    const failed: string[] = [];
    let answered = 0;
    let refused = 0;
    for (const [method, params] of cases) {
      try {
        await client.request(method, params);
        answered++;
      } catch (e) {
        assert.ok(e instanceof ResponseError, `${method}: ${String(e)}`);
        // A refusal the handler means (rename: "There is no symbol to rename here") is an answer.
        if (e.code === REQUEST_FAILED) {
          refused++;
          continue;
        }
        assert.equal(e.code, INTERNAL_ERROR, `${method} ${JSON.stringify(params)}: ${e.message}`);
        assert.match(e.message, /^dtrace-language-server: connection\.[\w.]+(\([^)]*\))? failed: /, method);
        failed.push(`${method} ${JSON.stringify(params)}: ${e.message}`);
      }
      assert.equal(exited, false, `the server ended after ${method} ${JSON.stringify(params)}`);
    }
    // A real share of the handlers threw (the containment was exercised), each one logged.
    assert.ok(failed.length >= 20, `only ${failed.length} requests failed:\n${failed.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
    const errors = logs.filter((l) => l.type === 1 && / failed: /.test(l.message));
    assert.equal(errors.length, failed.length, `logged:\n${logs.map((l) => l.message).join('\n')}`);
    for (const l of errors) assert.match(l.message, /\n\s+at /, 'logged with its stack');
    // Still serving, and correctly.
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument, position: pos(3, 8) });
    assert.match(JSON.stringify(hover?.contents), /int64_t x|\bx\b/);
    await client.change(uri, 2, [{ range: { start: pos(2, 5), end: pos(2, 6) }, text: '' }]);
    assert.ok((await client.diagnostics(uri, 2)).length > 0, 'a syntax error is reported for the new version');
    if (process.env.LSP_SOAK_VERBOSE) console.log(failed.join("\n"));
    console.log(`# ${cases.length} malformed requests: ${failed.length} failed (contained and logged), ${refused} refused on purpose, ${answered} answered`);
  } finally {
    await client.stop();
  }
});
