// bin/dtrace-language-server --stdio, driven through the real protocol: a document with a
// syntax error gets one diagnostic with a tight range; fixing the text clears it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const repo = join(__dirname, '..', '..');

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  code: string;
  severity: number;
}
interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

test('the language server publishes syntax diagnostics over stdio', async (t) => {
  const server = spawn(process.execPath, [join(repo, 'bin', 'dtrace-language-server'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => server.kill());
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const published: Published[] = [];
  const waiters: Array<() => void> = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    published.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  connection.listen();
  const next = async (version: number): Promise<Published> => {
    for (;;) {
      const found = published.find((p) => p.version === version);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  const init = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as {
    capabilities: { textDocumentSync: number };
  };
  assert.equal(init.capabilities.textDocumentSync, 2);
  await connection.sendNotification('initialized', {});

  const uri = 'file:///tmp/broken.d';
  const broken = 'BEGIN\n{\n\tx = 1;\n\ty = (2;\n}\n';
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dtrace', version: 1, text: broken } });
  const first = await next(1);
  assert.deepEqual(
    first.diagnostics.map((d) => ({ range: d.range, message: d.message, code: d.code, severity: d.severity })),
    [{ range: { start: { line: 3, character: 7 }, end: { line: 3, character: 7 } }, message: 'expected `)`', code: 'D_SYNTAX', severity: 1 }],
  );

  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 3, character: 7 }, end: { line: 3, character: 7 } }, text: ')' }],
  });
  const fixed = await next(2);
  assert.deepEqual(fixed.diagnostics, []);

  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();
});
