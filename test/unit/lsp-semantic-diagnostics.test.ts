// The language server publishes the front end's diagnostics over the real protocol: DTrace's
// tag as the code, the exact range, errors inside an `if` in the user's words with the `if` as
// related information, the editor's leniency for providers it does not know, safety warnings.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const repo = join(__dirname, '..', '..');

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  code: string;
  severity: number;
  relatedInformation?: { location: { uri: string; range: Diagnostic['range'] }; message: string }[];
}

let server: ChildProcess;
let connection: MessageConnection;
const published = new Map<string, Diagnostic[]>();
const waiters: Array<() => void> = [];
let version = 0;

async function diagnosticsOf(text: string): Promise<Diagnostic[]> {
  const uri = `file:///tmp/semantic-${++version}.d`;
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dtrace', version: 1, text } });
  for (;;) {
    const found = published.get(uri);
    if (found) return found;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

const at = (line: number, start: number, end: number, endLine = line) => ({ start: { line, character: start }, end: { line: endLine, character: end } });

describe('semantic diagnostics over the language server protocol', () => {
  before(async () => {
    server = spawn(process.execPath, [join(repo, 'bin', 'dtrace-language-server'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      published.set(p.uri, p.diagnostics);
      waiters.splice(0).forEach((w) => w());
    });
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification('initialized', {});
  });
  after(() => {
    connection.dispose();
    server.kill();
  });

  it('reports a type error with its DTrace tag, message and range', async () => {
    const d = await diagnosticsOf('BEGIN\n{\n\tx = execname;\n\tx = 1;\n}\n');
    assert.deepEqual(
      d.map((x) => ({ code: x.code, message: x.message, range: x.range, severity: x.severity })),
      [{ code: 'D_OP_INCOMPAT', message: 'operands have incompatible types: "string" = "int"', range: at(3, 1, 6), severity: 1 }],
    );
  });

  it('reports an if condition in the user\'s words, with the if as related information', async () => {
    const [d] = await diagnosticsOf('BEGIN\n{\n\tif (execname) {\n\t\ttrace(1);\n\t}\n}\n');
    assert.equal(d?.code, 'D_OP_SCALAR');
    assert.equal(d?.message, 'condition of this `if` must be scalar, but it is a string');
    assert.deepEqual(d?.range, at(2, 4, 14));
    assert.equal(d?.relatedInformation?.[0]?.message, 'desugared from this `if`: DTrace rewrites it into clauses predicated on the condition');
    assert.deepEqual(d?.relatedInformation?.[0]?.location.range, at(2, 1, 2, 4));
  });

  it('warns instead of failing for a provider the catalogue does not know', async () => {
    // A provider no flavour's catalogue has (syscall, proc ... are in the catalogue now).
    const d = await diagnosticsOf('myprov::read:entry\n{\n\ttrace(arg0);\n}\n');
    assert.deepEqual(
      d.map((x) => [x.code, x.severity, x.range]),
      [['D_PDESC_ZERO', 2, at(0, 0, 18)]],
    );
  });

  it('publishes safety warnings with our own codes and the explanation', async () => {
    const d = await diagnosticsOf('BEGIN\n{\n\tself->ts = timestamp;\n\twhile (1) { }\n}\n');
    assert.deepEqual(d.map((x) => [x.code, x.severity, x.range.start.line]), [
      ['D_SYNTAX', 1, 3],
      ['DTVM_TLS_LEAK', 2, 2],
    ]);
    assert.match(d[0]!.message, /^syntax error near "while"\nD has no loops: /);
  });
});
