/**
 * What to do with a `.d` document once its content has been judged: the decision table of the
 * `dtrace.languageDetection` setting, kept free of `vscode` so that it is tested as a table.
 */
import type { Verdict } from './languageDetection';

export type DetectionMode = 'auto' | 'always' | 'never';

export const DTRACE_LANGUAGE_ID = 'dtrace';
/** code-d's language id; any extension that contributes `d` will do. */
export const DLANG_LANGUAGE_ID = 'd';
/** Built into VS Code; dependency files are Makefile syntax. */
export const MAKEFILE_LANGUAGE_ID = 'makefile';

export function isDetectionMode(value: unknown): value is DetectionMode {
  return value === 'auto' || value === 'always' || value === 'never';
}

export interface PolicyInput {
  readonly mode: DetectionMode;
  /** The language VS Code (or the user) gave the document. */
  readonly currentLanguageId: string;
  /** Asked lazily: `never`, and `always` on a DTrace document, need no look at the text. */
  readonly verdict: () => Verdict;
  /** Languages registered in this VS Code (`vscode.languages.getLanguages()`). */
  readonly registeredLanguages: ReadonlySet<string>;
}

/**
 * The language to switch the document to, or `undefined` to leave it alone.
 *
 * `auto` only moves a document away from `dtrace` when this extension is the one that claimed
 * it (its language is `dtrace`) and the target language exists: a D-language file goes to `d`
 * when code-d (or another D extension) is installed, a dependency file to `makefile`. A file
 * of unknown nature keeps whatever language it was given.
 */
export function chooseLanguage(input: PolicyInput): string | undefined {
  const { mode, currentLanguageId: current } = input;
  if (mode === 'never') return undefined;
  if (mode === 'always') return current === DTRACE_LANGUAGE_ID ? undefined : DTRACE_LANGUAGE_ID;
  const verdict = input.verdict();
  if (verdict === 'dtrace') return current === DTRACE_LANGUAGE_ID ? undefined : DTRACE_LANGUAGE_ID;
  if (current !== DTRACE_LANGUAGE_ID) return undefined;
  const target = verdict === 'd' ? DLANG_LANGUAGE_ID : verdict === 'makefile' ? MAKEFILE_LANGUAGE_ID : undefined;
  return target !== undefined && input.registeredLanguages.has(target) ? target : undefined;
}

/** Whether a document with this path is one the setting is about. */
export function isDFilePath(path: string): boolean {
  return /\.d$/i.test(path);
}
