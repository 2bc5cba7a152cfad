// Inside a real VS Code (see the "Extension Tests" launch configuration): `.d` files open in
// the right language. The launch also loads test/e2e/fixtures/d-language-stub, which registers
// a `d` language for `.d` the way code-d does, so both extensions claim every `.d` file and
// only this extension's detection can sort them out.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'dtrace-d.dtrace-d';
const fixtures = path.resolve(__dirname, '..', 'fixtures');
// Detection switches a document's language asynchronously, right after it opens.
const SETTLE_MS = 10_000;
const STABLE_MS = 750;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function current(uri) {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

/** Opens a fixture and returns its language once `accept` holds and stays held, or at the deadline. */
async function languageOf(file, accept) {
  const uri = vscode.Uri.file(path.join(fixtures, file));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const deadline = Date.now() + SETTLE_MS;
  while (Date.now() < deadline) {
    const doc = current(uri);
    if (doc && accept(doc.languageId)) {
      await sleep(STABLE_MS);
      return current(uri)?.languageId;
    }
    await sleep(100);
  }
  return current(uri)?.languageId;
}

suite('Language detection of .d files', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.ok(
      (await vscode.languages.getLanguages()).includes('d'),
      'the d-language stub extension is not loaded: launch with its --extensionDevelopmentPath',
    );
  });

  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('probe.d (#!/usr/sbin/dtrace -s) opens as dtrace', async () => {
    assert.equal(await languageOf('probe.d', (id) => id === 'dtrace'), 'dtrace');
  });

  test('dlang.d (module declaration, no probes) does not open as dtrace', async () => {
    const id = await languageOf('dlang.d', (lang) => lang !== 'dtrace');
    assert.notEqual(id, 'dtrace');
    assert.equal(id, 'd');
  });

  test('clause.d (probe clauses, no #! line) opens as dtrace', async () => {
    assert.equal(await languageOf('clause.d', (id) => id === 'dtrace'), 'dtrace');
  });

  test('deps.d (Makefile dependencies) does not open as dtrace', async () => {
    // Claimed by this extension it moves to `makefile`; claimed by the `d` stub it is left alone.
    const id = await languageOf('deps.d', (lang) => lang !== 'dtrace');
    assert.ok(id === 'makefile' || id === 'd', `opened as ${id}`);
  });

  test('a language the user picks afterwards is kept', async () => {
    assert.equal(await languageOf('clause.d', (id) => id === 'dtrace'), 'dtrace');
    const doc = current(vscode.Uri.file(path.join(fixtures, 'clause.d')));
    await vscode.languages.setTextDocumentLanguage(doc, 'plaintext');
    await sleep(STABLE_MS);
    assert.equal(current(doc.uri)?.languageId, 'plaintext');
  });
});

suite('Language server', () => {
  test('reports the syntax error in broken.d', async () => {
    const uri = vscode.Uri.file(path.join(fixtures, 'broken.d'));
    assert.equal(await languageOf('broken.d', (id) => id === 'dtrace'), 'dtrace');
    const deadline = Date.now() + SETTLE_MS;
    let diagnostics = vscode.languages.getDiagnostics(uri);
    while (diagnostics.length === 0 && Date.now() < deadline) {
      await sleep(100);
      diagnostics = vscode.languages.getDiagnostics(uri);
    }
    assert.ok(diagnostics.length > 0, 'no diagnostics for broken.d');
    assert.ok(diagnostics.some((d) => d.range.start.line === 3), JSON.stringify(diagnostics));
  });
});
