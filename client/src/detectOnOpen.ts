/**
 * Applies `dtrace.languageDetection` to every `.d` document that opens: `.d` is claimed by
 * DTrace, by the D programming language (code-d) and by Makefile dependency files, and the
 * file name alone cannot tell them apart.
 */
import * as vscode from 'vscode';
import { DETECTION_LIMITS, detectLanguage, type Detection } from './languageDetection';
import { chooseLanguage, isDetectionMode, isDFilePath, type DetectionMode } from './languagePolicy';

const SECTION = 'dtrace';
const SETTING = 'languageDetection';
// Documents that are the user's files; `git:` and `output:` views follow their originals.
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export function registerLanguageDetection(log: vscode.LogOutputChannel): vscode.Disposable {
  // A document is judged once per time it is open: a language change, ours or the user's from
  // the status bar, reaches extensions as a close immediately followed by an open of the same
  // document, and judging again then would undo the user's choice.
  const judged = new Map<string, Detection['verdict'] | 'skipped'>();
  const closing = new Set<string>();

  const consider = (doc: vscode.TextDocument): void => {
    if (!SCHEMES.has(doc.uri.scheme) || !isDFilePath(doc.uri.path)) return;
    const key = doc.uri.toString();
    if (judged.has(key)) return;
    judged.set(key, 'skipped');
    void apply(doc, key);
  };

  const apply = async (doc: vscode.TextDocument, key: string): Promise<void> => {
    const mode = readMode(doc.uri);
    let detection: Detection | undefined;
    const verdict = (): Detection['verdict'] => {
      detection ??= detectLanguage(headOf(doc));
      return detection.verdict;
    };
    // Only `auto` may move a document to another extension's language: ask the registry only then.
    const registered = mode === 'auto' ? new Set(await vscode.languages.getLanguages()) : new Set<string>();
    if (doc.isClosed) return;
    const target = chooseLanguage({ mode, currentLanguageId: doc.languageId, verdict, registeredLanguages: registered });
    if (detection) judged.set(key, detection.verdict);
    const name = vscode.workspace.asRelativePath(doc.uri);
    if (detection) log.debug(`${name}: ${detection.reason}`);
    if (target === undefined) return;
    try {
      await vscode.languages.setTextDocumentLanguage(doc, target);
      log.info(`${name}: opened as ${target} (dtrace.languageDetection = ${mode}${detection ? `; ${detection.reason}` : ''})`);
    } catch (err) {
      // The document may have closed meanwhile; nothing to repair.
      log.warn(`${name}: could not switch to ${target}: ${String(err)}`);
    }
  };

  const onClose = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    closing.add(key);
    setTimeout(() => {
      if (closing.delete(key)) judged.delete(key);
    }, 0);
  };

  const onOpen = (doc: vscode.TextDocument): void => {
    // Reopened within the same turn: a language change, not a new opening.
    if (closing.delete(doc.uri.toString())) return;
    consider(doc);
  };

  const onSave = (doc: vscode.TextDocument): void => {
    // A file created empty had nothing to judge; once it has content it deserves a look.
    const key = doc.uri.toString();
    if (judged.get(key) !== 'unknown') return;
    judged.delete(key);
    consider(doc);
  };

  const onConfiguration = (e: vscode.ConfigurationChangeEvent): void => {
    if (!e.affectsConfiguration(`${SECTION}.${SETTING}`)) return;
    judged.clear();
    vscode.workspace.textDocuments.forEach(consider);
  };

  const subscriptions = [
    vscode.workspace.onDidOpenTextDocument(onOpen),
    vscode.workspace.onDidCloseTextDocument(onClose),
    vscode.workspace.onDidSaveTextDocument(onSave),
    vscode.workspace.onDidChangeConfiguration(onConfiguration),
  ];
  vscode.workspace.textDocuments.forEach(consider);
  return vscode.Disposable.from(...subscriptions);
}

function readMode(uri: vscode.Uri): DetectionMode {
  const value = vscode.workspace.getConfiguration(SECTION, uri).get<unknown>(SETTING, 'auto');
  return isDetectionMode(value) ? value : 'auto';
}

/** Only the part detection reads is copied out of the document. */
function headOf(doc: vscode.TextDocument): string {
  const lines = Math.min(doc.lineCount, DETECTION_LIMITS.maxLines);
  return doc.getText(new vscode.Range(0, 0, lines, 0));
}
