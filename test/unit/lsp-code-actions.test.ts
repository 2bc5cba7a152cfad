// Code actions over the real protocol: each quick fix applied to the document gives exactly
// the expected text (and the diagnostic it fixes goes away), fixes that would not be certain
// are not offered, and "show desugared clauses" returns what `dtvm -d` prints.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startLanguageServer, span, type LspClient } from '../support/lspClient';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';

describe('code actions over the language server protocol', () => {
  let client: LspClient;
  before(async () => {
    client = await startLanguageServer();
  });
  after(() => client.stop());

  /** Opens `text`, asks for the actions at `range`, and returns them with the diagnostics. */
  const actionsAt = async (text: string, range: Range, only?: string[]): Promise<{ uri: string; diagnostics: Diagnostic[]; actions: CodeAction[] }> => {
    const uri = await client.openNew(text);
    const diagnostics = await client.diagnostics(uri, 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return { uri, diagnostics, actions };
  };
  const applied = (text: string, uri: string, action: CodeAction): string =>
    TextDocument.applyEdits(TextDocument.create(uri, 'dtrace', 1, text), action.edit!.changes![uri] as TextEdit[]);
  /** After the fix, the document has no diagnostics with this code. */
  const fixes = async (text: string, code: string): Promise<void> => {
    const uri = await client.openNew(text);
    const after = await client.diagnostics(uri, 1);
    assert.deepEqual(after.filter((d) => d.code === code), [], `still ${code} after the fix:\n${text}`);
  };

  it('allows destructive actions with a pragma after the header comment', async () => {
    const text = '#!/usr/sbin/dtrace -s\n/*\n * header\n */\n\nBEGIN\n{\n\tsystem("ls");\n}\n';
    const { uri, diagnostics, actions } = await actionsAt(text, span(7, 1, 1));
    assert.deepEqual(diagnostics.map((d) => d.code), ['D_DESTRUCTIVE']);
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [['Allow destructive actions: add `#pragma D option destructive`', 'quickfix', true]]);
    const fixed = applied(text, uri, actions[0]!);
    assert.equal(fixed, '#!/usr/sbin/dtrace -s\n/*\n * header\n */\n\n#pragma D option destructive\n\nBEGIN\n{\n\tsystem("ls");\n}\n');
    await fixes(fixed, 'D_DESTRUCTIVE');
  });

  it('puts the destructive pragma after the script\'s other options', async () => {
    const text = '#pragma D option quiet\n\nBEGIN\n{\n\tstop();\n}\n';
    const { uri, actions } = await actionsAt(text, span(4, 1, 8));
    assert.equal(applied(text, uri, actions[0]!), '#pragma D option quiet\n#pragma D option destructive\n\nBEGIN\n{\n\tstop();\n}\n');
  });

  it('frees a leaked thread-local at the end of the matching return clause', async () => {
    const text = 'syscall::read:entry\n{\n\tself->ts = timestamp;\n}\n\nsyscall::read:return\n/self->ts/\n{\n\t@ = quantize(timestamp - self->ts);\n}\n';
    const { uri, diagnostics, actions } = await actionsAt(text, span(2, 2, 2));
    assert.deepEqual(diagnostics.map((d) => d.code), ['DTVM_TLS_LEAK']);
    assert.deepEqual(actions.map((a) => a.title), ['Free self->ts at the end of the matching return clause (syscall::read:return)']);
    const fixed = applied(text, uri, actions[0]!);
    assert.equal(fixed, 'syscall::read:entry\n{\n\tself->ts = timestamp;\n}\n\nsyscall::read:return\n/self->ts/\n{\n\t@ = quantize(timestamp - self->ts);\n\tself->ts = 0;\n}\n');
    await fixes(fixed, 'DTVM_TLS_LEAK');
  });

  it('frees a thread-local in a return clause written on one line', async () => {
    const text = 'syscall::write:entry { self->fd = arg0; }\nsyscall::write:return { @[self->fd] = count(); }\n';
    const { uri, actions } = await actionsAt(text, span(0, 23, 23));
    assert.equal(applied(text, uri, actions[0]!), 'syscall::write:entry { self->fd = arg0; }\nsyscall::write:return { @[self->fd] = count(); self->fd = 0; }\n');
  });

  it('adds a return clause to free a thread-local when there is none', async () => {
    const text = 'fbt::vm_fault:entry\n{\n\tself->start = timestamp;\n}\n';
    const { uri, actions } = await actionsAt(text, span(2, 1, 12));
    assert.deepEqual(actions.map((a) => a.title), ['Free self->start in a new return clause (fbt::vm_fault:return)']);
    assert.equal(applied(text, uri, actions[0]!), 'fbt::vm_fault:entry\n{\n\tself->start = timestamp;\n}\n\nfbt::vm_fault:return\n/self->start/\n{\n\tself->start = 0;\n}\n');
  });

  it('offers no return clause for a thread-local set outside an entry probe', async () => {
    const { diagnostics, actions } = await actionsAt('tick-1s\n{\n\tself->n = 1;\n}\n', span(2, 1, 8));
    assert.deepEqual(diagnostics.map((d) => d.code), ['DTVM_TLS_LEAK']);
    assert.deepEqual(actions, []);
  });

  it('unrolls a loop over a constant range', async () => {
    const text = 'BEGIN\n{\n\tfor (i = 0; i < 3; i++) {\n\t\t@[i] = count();\n\t}\n}\n';
    const { uri, diagnostics, actions } = await actionsAt(text, span(2, 2, 2));
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range]), [['D_SYNTAX', span(2, 1, 2, 4)]]);
    assert.deepEqual(actions.map((a) => a.title), ['Unroll the loop (3 iterations)']);
    const fixed = applied(text, uri, actions[0]!);
    assert.equal(fixed, 'BEGIN\n{\n\ti = 0;\n\t@[i] = count();\n\ti++;\n\t@[i] = count();\n\ti++;\n\t@[i] = count();\n\ti++;\n}\n');
    await fixes(fixed, 'D_SYNTAX');
  });

  it('unrolls `<=` and `+=` loops, but not a loop whose body changes its variable', async () => {
    const stepped = 'BEGIN\n{\n\tfor (this->k = 2; this->k <= 6; this->k += 2)\n\t\ttrace(this->k);\n}\n';
    const { uri, actions } = await actionsAt(stepped, span(2, 2, 2));
    assert.equal(
      applied(stepped, uri, actions[0]!),
      'BEGIN\n{\n\tthis->k = 2;\n\ttrace(this->k);\n\tthis->k += 2;\n\ttrace(this->k);\n\tthis->k += 2;\n\ttrace(this->k);\n\tthis->k += 2;\n}\n',
    );
    const changing = await actionsAt('BEGIN\n{\n\tfor (i = 0; i < 3; i++) {\n\t\ti = i * 2;\n\t}\n}\n', span(2, 2, 2));
    assert.deepEqual(changing.actions, []);
    const unbounded = await actionsAt('BEGIN\n{\n\tfor (i = 0; i < n; i++) {\n\t\ttrace(i);\n\t}\n}\n', span(2, 2, 2));
    assert.deepEqual(unbounded.actions, []);
  });

  it('inserts a missing `;` where the parse then succeeds', async () => {
    const text = 'BEGIN\n{\n\tx = 1\n\ty = 2;\n}\n';
    const { uri, diagnostics, actions } = await actionsAt(text, span(2, 5, 6));
    assert.deepEqual(diagnostics.map((d) => [d.message, d.range]), [['unexpected `1`', span(2, 5, 6)]]);
    assert.deepEqual(actions.map((a) => a.title), ['Insert the missing `;`']);
    const fixed = applied(text, uri, actions[0]!);
    assert.equal(fixed, 'BEGIN\n{\n\tx = 1;\n\ty = 2;\n}\n');
    await fixes(fixed, 'D_SYNTAX');
  });

  it('rewrites a clause\'s lone `if` into its predicate', async () => {
    const text = 'syscall::read:entry\n/pid == 1/\n{\n\tif (arg2 > 10 || arg2 == 0) {\n\t\t@big = count();\n\t\ttrace(arg2);\n\t}\n}\n';
    const { uri, actions } = await actionsAt(text, span(3, 2, 2), ['refactor.rewrite']);
    assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Rewrite the `if` as the clause\'s predicate', 'refactor.rewrite']]);
    assert.equal(applied(text, uri, actions[0]!), 'syscall::read:entry\n/pid == 1 && (arg2 > 10 || arg2 == 0)/\n{\n\t@big = count();\n\ttrace(arg2);\n}\n');
    // Comments inside the `if` stay; a comment the rewrite would drop means no rewrite.
    const commented = 'BEGIN\n{\n\tif (x / 2 > 1) {\n\t\t/* kept */\n\t\ty = 1;\n\t}\n}\n';
    const kept = await actionsAt(commented, span(2, 2, 2), ['refactor.rewrite']);
    assert.equal(applied(commented, kept.uri, kept.actions[0]!), 'BEGIN\n/x / 2 > 1/\n{\n\t/* kept */\n\ty = 1;\n}\n');
    const lost = await actionsAt('BEGIN\n{\n\t/* why */\n\tif (x) {\n\t\ty = 1;\n\t}\n}\n', span(3, 2, 2), ['refactor.rewrite']);
    assert.deepEqual(lost.actions, []);
    const withElse = await actionsAt('BEGIN\n{\n\tif (x) {\n\t\ty = 1;\n\t} else {\n\t\ty = 2;\n\t}\n}\n', span(2, 2, 2), ['refactor.rewrite']);
    assert.deepEqual(withElse.actions, []);
  });

  it('shows the desugared clauses as `dtvm -d` prints them', async () => {
    const text = 'syscall::read:entry\n/pid > 0/\n{\n\tif (arg2 > 10) {\n\t\t@big = count();\n\t} else {\n\t\t@small = count();\n\t}\n}\n';
    const { actions } = await actionsAt(text, span(0, 0, 0), ['refactor']);
    const show = actions.find((a) => a.kind === 'refactor');
    assert.equal(show?.title, 'Show desugared clauses (the clauses DTrace compiles for `if`/`else`)');
    const result = await client.request<{ text: string }>('workspace/executeCommand', { command: show!.command!.command, arguments: show!.command!.arguments });
    const cli = await dtvm(['-Z', '-d', '-s', scriptFile(text)]);
    assert.equal(result.text, cli.stdout);
  });
});
