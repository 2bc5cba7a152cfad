// Shared by the e2e suites: opening fixtures, waiting for the language server, plain views of
// ranges and edits for exact comparisons.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'dtrace-d.dtrace-d';
const fixtures = path.resolve(__dirname, '..', 'fixtures');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something truthy; fails with `what` (and the last value) at the deadline. */
async function waitFor(what, probe, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`${what}: not after ${timeoutMs / 1000}s`);
    await sleep(50);
  }
}

function fixtureUri(file) {
  return vscode.Uri.file(path.join(fixtures, file));
}

function documentOf(uri) {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

/** Opens a fixture in an editor and waits until it is a `dtrace` document. */
async function openDtrace(file) {
  const uri = fixtureUri(file);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return waitFor(`${file} opens as dtrace`, () => {
    const doc = documentOf(uri);
    return doc && doc.languageId === 'dtrace' ? doc : undefined;
  });
}

/** The extension, activated, and its module (the bundle's exports: tracePanel, aggregationPreviews). */
async function extensionModule() {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  await extension.activate();
  // The extension host loads dist/client.js with Node's require: this is the same module instance.
  return require(path.join(extension.extensionPath, 'dist', 'client.js'));
}

const range = (r) => r && [r.start.line, r.start.character, r.end.line, r.end.character];

/** Diagnostics as [range, code, message, severity name, source], once `accept` holds for them. */
async function diagnosticsOf(uri, accept, what) {
  const view = () =>
    vscode.languages
      .getDiagnostics(uri)
      .map((d) => [range(d.range), typeof d.code === 'object' ? d.code.value : d.code, d.message, vscode.DiagnosticSeverity[d.severity], d.source]);
  try {
    return await waitFor(what, () => {
      const v = view();
      return accept(v) ? v : undefined;
    });
  } catch (err) {
    err.message += `\nlast diagnostics: ${JSON.stringify(view())}`;
    throw err;
  }
}

/** Replaces a document's whole text in its editor (unsaved). */
async function setText(doc, text) {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
}

/** Puts a fixture back as it is on disk, and closes every editor. */
async function revertAll() {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty) continue;
    await vscode.window.showTextDocument(doc);
    // An untitled document would ask to be saved on close: revert and close it instead.
    await vscode.commands.executeCommand(doc.isUntitled ? 'workbench.action.revertAndCloseActiveEditor' : 'workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

module.exports = { EXTENSION_ID, fixtures, sleep, waitFor, fixtureUri, documentOf, openDtrace, extensionModule, range, diagnosticsOf, setText, revertAll };
