// The language features of a .d file, through the commands VS Code's own UI uses
// (vscode.execute...Provider): highlighting, diagnostics, hover, completion, definition,
// rename, a quick fix, formatting, document symbols and the Run/Debug CodeLens. Exact results.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { openDtrace, extensionModule, range, diagnosticsOf, setText, revertAll, waitFor, fixtureUri } = require('./helpers');

const hoverText = (hovers) => hovers.map((h) => [range(h.range), h.contents.map((c) => (typeof c === 'string' ? c : c.value))]);

suiteSetup(async () => {
  await extensionModule();
});

suite('Highlighting', () => {
  teardown(revertAll);

  test('semantic tokens of reads.d: the legend and every token, by position', async () => {
    const doc = await openDtrace('reads.d');
    const legend = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokensLegend', doc.uri);
    assert.deepEqual({ tokenTypes: legend.tokenTypes, tokenModifiers: legend.tokenModifiers }, {
      tokenTypes: ['namespace', 'class', 'function', 'event', 'variable', 'property', 'parameter', 'type', 'struct', 'enum', 'enumMember', 'macro'],
      tokenModifiers: ['declaration', 'modification', 'readonly', 'defaultLibrary', 'global', 'threadLocal', 'clauseLocal', 'aggregation', 'action', 'destructive'],
    });
    // The server answers once it has analysed the document.
    const tokens = await waitFor('semantic tokens', async () => {
      const t = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokens', doc.uri);
      return t && t.data.length > 0 ? t : undefined;
    });
    const decoded = [];
    const data = Array.from(tokens.data);
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
      const modifiers = legend.tokenModifiers.filter((_, bit) => data[i + 4] & (1 << bit));
      decoded.push([line, character, doc.lineAt(line).text.substr(character, data[i + 2]), legend.tokenTypes[data[i + 3]], modifiers.join(' ')]);
    }
    assert.deepEqual(decoded, [
      [3, 0, 'syscall', 'namespace', ''],
      [3, 9, 'read', 'function', ''],
      [3, 14, 'entry', 'event', ''],
      [5, 7, 'fd', 'variable', 'modification threadLocal'],
      [5, 12, 'arg0', 'variable', 'readonly defaultLibrary'],
      [8, 0, 'syscall', 'namespace', ''],
      [8, 9, 'read', 'function', ''],
      [8, 14, 'return', 'event', ''],
      [9, 7, 'fd', 'variable', 'threadLocal'],
      [11, 1, '@bytes', 'variable', 'modification aggregation'],
      [11, 8, 'execname', 'variable', 'readonly defaultLibrary'],
      [11, 20, 'sum', 'function', 'defaultLibrary aggregation'],
      [11, 24, 'arg0', 'variable', 'readonly defaultLibrary'],
      [12, 1, '@sizes', 'variable', 'modification aggregation'],
      [12, 10, 'quantize', 'function', 'defaultLibrary aggregation'],
      [12, 19, 'arg0', 'variable', 'readonly defaultLibrary'],
      [13, 7, 'fd', 'variable', 'modification threadLocal'],
      [16, 0, 'END', 'event', ''],
      [18, 1, 'printa', 'function', 'defaultLibrary action'],
      [18, 22, '@bytes', 'variable', 'aggregation'],
    ]);
  });
});

suite('Diagnostics', () => {
  teardown(revertAll);

  test('broken.d: the syntax error, then none once the text is fixed', async () => {
    const doc = await openDtrace('broken.d');
    assert.deepEqual(await diagnosticsOf(doc.uri, (d) => d.length > 0, 'diagnostics of broken.d'), [
      [[3, 20, 3, 21], 'D_SYNTAX', 'unexpected `(`', 'Error', 'dtrace'],
    ]);
    await setText(doc, doc.getText().replace('count(;', 'count();'));
    await diagnosticsOf(doc.uri, (d) => d.length === 0, 'no diagnostics once broken.d is fixed');
  });

  test('diagnostics.d: D_PROTO_LEN, the same error inside an if, and a loop; none once fixed', async () => {
    const doc = await openDtrace('diagnostics.d');
    const loopMessage =
      'syntax error near "for"\nD has no loops: a probe may fire in any kernel context, so every clause must finish in bounded time, ' +
      'and the DIF verifier rejects backward branches. Unroll the loop into repeated statements (guarded with `?:` or predicates), ' +
      'or let a `tick-N` or `profile-N` probe drive one step per firing, keeping the loop state in globals or `self->` variables. ' +
      'A `for` loop with a constant bound can be accepted and unrolled with `-x boundedloops=N`.';
    assert.deepEqual(await diagnosticsOf(doc.uri, (d) => d.length >= 3, 'three diagnostics in diagnostics.d'), [
      [[3, 7, 3, 17], 'D_PROTO_LEN', 'args[ ] prototype mismatch: 2 args passed, 1 expected', 'Error', 'dtrace'],
      [[9, 8, 9, 18], 'D_PROTO_LEN', 'args[ ] prototype mismatch: 2 args passed, 1 expected', 'Error', 'dtrace'],
      [[15, 1, 17, 2], 'D_SYNTAX', loopMessage, 'Error', 'dtrace'],
    ]);
    const fixed = doc
      .getText()
      .replace('args[0, 1]', 'arg0')
      .replace('args[1, 2]', 'arg1')
      .replace(/\tfor \(.*\n\t\ttrace\(i\);\n\t\}/, '\ttrace(0);\n\ttrace(1);\n\ttrace(2);');
    await setText(doc, fixed);
    await diagnosticsOf(doc.uri, (d) => d.length === 0, 'no diagnostics once diagnostics.d is fixed');
  });
});

suite('Language features', () => {
  teardown(revertAll);

  test('hover: a thread-local variable, an aggregating function, an aggregation', async () => {
    const doc = await openDtrace('reads.d');
    const at = (line, character) => vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character));
    const selfFd = await waitFor('hover on self->fd', async () => ((await at(9, 8)).length ? at(9, 8) : undefined));
    assert.deepEqual(hoverText(selfFd), [
      [[9, 7, 9, 9], ['```dtrace\nint64_t self->fd\n```\n\nThread-local variable: each thread has its own value; first assigned on line 6.']],
    ]);
    assert.deepEqual(hoverText(await at(11, 22)), [
      [
        [11, 20, 11, 23],
        ['```dtrace\nsum(int64_t value)\n```\n\nAggregating function (use as `@name[keys] = sum(...)`), not destructive.\n\nAggregates the total of the values.'],
      ],
    ]);
    assert.deepEqual(hoverText(await at(11, 4)), [
      [[11, 1, 11, 7], ['```dtrace\n@bytes[string] = sum(value)\n```\n\nAggregation of `sum()`, keyed by `string`; first assigned on line 12.']],
    ]);
  });

  test('completion: self-> members, and probe functions in a probe description', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'dtrace',
      content: 'syscall::read:entry\n{\n\tself->fd = arg0;\n\tself->\n}\n\nsyscall::read:return\n{\n\tself->fd = 0;\n}\n',
    });
    await vscode.window.showTextDocument(doc);
    const complete = async (line, character) =>
      (await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, character))).items.map((i) => [
        typeof i.label === 'string' ? i.label : i.label.label,
        vscode.CompletionItemKind[i.kind],
        i.detail,
      ]);
    const members = await waitFor('completion after self->', async () => {
      const items = await complete(3, 7);
      return items.length ? items : undefined;
    });
    assert.deepEqual(members, [['fd', 'Field', 'thread-local variable']]);
    // `syscall::|read:return`: the probe function field offers the provider's functions.
    const functions = await complete(6, 9);
    for (const name of ['read', 'write', 'open', 'close']) {
      assert.deepEqual(functions.find(([label]) => label === name), [name, 'Function', 'function of syscall']);
    }
    assert.deepEqual(functions.filter(([, kind, detail]) => kind !== 'Function' || detail !== 'function of syscall'), []);
  });

  test('go to definition: self->fd and @bytes', async () => {
    const doc = await openDtrace('reads.d');
    const definition = async (line, character) =>
      (await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, new vscode.Position(line, character))).map((l) => [
        (l.uri || l.targetUri).fsPath,
        range(l.range || l.targetRange),
      ]);
    await waitFor('a definition', async () => (await definition(9, 8)).length > 0);
    assert.deepEqual(await definition(9, 8), [[doc.uri.fsPath, [5, 7, 5, 9]]]); // /self->fd/
    assert.deepEqual(await definition(13, 8), [[doc.uri.fsPath, [5, 7, 5, 9]]]); // self->fd = 0
    assert.deepEqual(await definition(18, 23), [[doc.uri.fsPath, [11, 1, 11, 7]]]); // printa(..., @bytes)
  });

  test('rename: self->fd everywhere in reads.d', async () => {
    const doc = await openDtrace('reads.d');
    const edit = await waitFor('a rename edit', async () => {
      const e = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, new vscode.Position(9, 8), 'desc');
      return e && e.size > 0 ? e : undefined;
    });
    assert.deepEqual(
      edit.entries().map(([uri, edits]) => [uri.fsPath, edits.map((e) => [range(e.range), e.newText])]),
      [[doc.uri.fsPath, [[[5, 7, 5, 9], 'desc'], [[9, 7, 9, 9], 'desc'], [[13, 7, 13, 9], 'desc']]]],
    );
  });

  test('quick fix: unroll the loop in diagnostics.d', async () => {
    const doc = await openDtrace('diagnostics.d');
    await diagnosticsOf(doc.uri, (d) => d.length >= 3, 'the loop diagnostic');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(15, 1, 15, 4), vscode.CodeActionKind.QuickFix.value);
    const fixes = actions.filter((a) => a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind));
    assert.deepEqual(
      fixes.map((a) => [a.title, a.edit.entries().map(([uri, edits]) => [uri.fsPath, edits.map((e) => [range(e.range), e.newText])])]),
      [['Unroll the loop (3 iterations)', [[doc.uri.fsPath, [[[15, 1, 17, 2], 'i = 0;\n\ttrace(i);\n\ti++;\n\ttrace(i);\n\ti++;\n\ttrace(i);\n\ti++;']]]]]],
    );
    assert.ok(await vscode.workspace.applyEdit(fixes[0].edit));
    await diagnosticsOf(doc.uri, (d) => d.length === 2 && d.every((x) => x[1] === 'D_PROTO_LEN'), 'the loop error gone after the fix');
  });

  test('formatting: format.d', async () => {
    const doc = await openDtrace('format.d');
    const edits = await waitFor('formatting edits', async () => {
      const e = await vscode.commands.executeCommand('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 8, insertSpaces: false });
      return e && e.length > 0 ? e : undefined;
    });
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(doc.getText(), '#!/usr/sbin/dtrace -s\n\nsyscall::read:entry\n{\n\tself->fd = arg0;\n\t@n[execname] = count();\n}\n');
  });

  test('document symbols: one per clause', async () => {
    const doc = await openDtrace('reads.d');
    const symbols = await waitFor('document symbols', async () => {
      const s = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
      return s && s.length ? s : undefined;
    });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, vscode.SymbolKind[s.kind], range(s.range), range(s.selectionRange), s.children.length]),
      [
        ['syscall::read:entry', '', 'Event', [3, 0, 6, 1], [3, 0, 3, 19], 0],
        ['syscall::read:return', '/self->fd/', 'Event', [8, 0, 14, 1], [8, 0, 8, 20], 0],
        ['END', '', 'Event', [16, 0, 19, 1], [16, 0, 16, 3], 0],
      ],
    );
  });

  test('CodeLens: Run and Debug above the script and each clause', async () => {
    const doc = await openDtrace('reads.d');
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command.title, l.command.command, l.command.arguments[0].toString()]),
      [0, 3, 8, 16].flatMap((line) => [
        [line, 'Run', 'dtrace.runScript', fixtureUri('reads.d').toString()],
        [line, 'Debug', 'dtrace.debugScript', fixtureUri('reads.d').toString()],
      ]),
    );
  });
});
