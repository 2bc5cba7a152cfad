// Each open document's syntax trees, kept incrementally, and its analysis by the front end.
//
// Edits reach the trees as tree-sitter edits: from the LSP content changes for the tree of the
// text as written (what features read), and from the difference of the texts with their
// control lines blanked for the tree the front end compiles (typing `#` can turn a whole line
// into a control line, which no content change says). Parsing and analysis wait until someone
// asks for the analysis, so a burst of edits costs one re-parse. web-tree-sitter counts
// indexes and columns in UTF-16 code units, as LSP does; rows count `\n` only, which LSP does
// not (it also breaks lines at a lone `\r`), so points are computed from the text itself.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { Edit } from 'web-tree-sitter';
import type { Parser, Point, Tree } from '../parse/dParser';
import { compileProgram, type FrontEndRequest } from '../analyze/frontEnd';
import { blankControlLines, controlLinesAfterEdit, scanControlLines, type ScannedControlLine } from '../analyze/controlLineLexer';
import { IncrementalState } from '../analyze/incremental';
import { textChange } from '../parse/textChange';
import type { AnalyzedDocument, ServerSettings } from './featureContext';

/** What the front end is asked besides the text (built from the document's settings). */
export type RequestSettings = Omit<FrontEndRequest, 'text' | 'programName' | 'tree' | 'incremental'>;

/** Text `[start, oldEnd)` replaced by `inserted`. */
interface TextEdit {
  start: number;
  oldEnd: number;
  inserted: string;
}

interface Entry {
  uri: string;
  version: number;
  text: string;
  /** The tree of `parsedText`, and a copy of it with the edits since applied (not re-parsed). */
  tree: Tree | undefined;
  edited: Tree | undefined;
  parsedText: string;
  /** The tree of the blanked text, when the text has control lines. */
  blankTree: Tree | undefined;
  blankText: string;
  /**
   * The range edits made since the text its control lines were last found in (offsets in the
   * text each applies to), undefined when not known (the text was replaced whole).
   */
  edits: TextEdit[] | undefined;
  analyzed: AnalyzedDocument | undefined;
  /** The settings the analysis used (a change of settings makes it stale). */
  requestKey: string;
  /** How long the last analysis took (the diagnostics' debounce adapts to it). */
  lastMs: number;
  /** What the front end reuses from one analysis of the document to the next. */
  incremental: IncrementalState;
}

export class DocumentAnalysis {
  private readonly entries = new Map<string, Entry>();
  /** Trees replaced by newer ones: a feature may still hold them until its handler returns. */
  private retired: Tree[] = [];

  constructor(
    private readonly parser: Parser,
    /** The settings of a document (cheap: asked on every request). */
    private readonly settingsOf: (uri: string) => ServerSettings,
    /** What the front end is asked under those settings (made only when an analysis runs). */
    private readonly requestFor: (settings: ServerSettings) => RequestSettings,
  ) {}

  open(uri: string, version: number, text: string): void {
    this.close(uri);
    this.entries.set(uri, {
      uri,
      version,
      text,
      tree: undefined,
      edited: undefined,
      parsedText: '',
      blankTree: undefined,
      blankText: '',
      edits: undefined,
      analyzed: undefined,
      requestKey: '',
      lastMs: 0,
      incremental: new IncrementalState(),
    });
  }

  /**
   * Applies one didChange: `before` is the text the changes apply to (in order, each to the
   * text the previous one produced), `after` the result.
   */
  change(uri: string, version: number, before: string, changes: readonly TextDocumentContentChangeEvent[], after: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    if (entry.tree) entry.edited ??= entry.tree.copy();
    if (before.length !== entry.text.length) entry.edits = undefined;
    let text = before;
    let addsUp = true;
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i]!;
      if ('range' in change) {
        const start = offsetOf(text, change.range.start.line, change.range.start.character);
        const end = offsetOf(text, change.range.end.line, change.range.end.character);
        entry.edited?.edit(editBetween(text, start, end, change.text));
        entry.edits?.push({ start, oldEnd: end, inserted: change.text });
        if (i + 1 < changes.length) text = text.slice(0, start) + change.text + text.slice(end);
        else {
          // The last change must make `after`: compared piece by piece (building it would copy it whole).
          addsUp = replaces(after, text, start, end, change.text);
          text = after;
        }
      } else {
        const edit = diffEdit(text, change.text);
        if (edit) entry.edited?.edit(edit);
        entry.edits = undefined;
        text = change.text;
      }
    }
    // A client whose changes do not add up (it should not happen) gets a fresh parse.
    if (!addsUp || text !== after) {
      entry.edits = undefined;
      if (entry.tree) {
        entry.edited?.delete();
        entry.edited = undefined;
        this.retire(entry.tree);
        entry.tree = undefined;
      }
    }
    entry.version = version;
    entry.text = after;
  }

  close(uri: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    entry.edited?.delete();
    this.retire(entry.tree);
    if (entry.blankTree !== entry.tree) this.retire(entry.blankTree);
    this.entries.delete(uri);
  }

  /** Settings changed: every analysis is stale (documents are re-analyzed when next asked). */
  invalidate(): void {
    for (const e of this.entries.values()) e.requestKey = '';
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  /** The version the analysis would be of, and how long the last analysis took. */
  state(uri: string): { version: number; current: boolean; lastMs: number } | undefined {
    const e = this.entries.get(uri);
    if (!e) return undefined;
    return { version: e.version, current: e.analyzed?.version === e.version && e.requestKey !== '', lastMs: e.lastMs };
  }

  /**
   * The current version's analysis, computed now when it is not ready. A new analysis retires
   * the one before: features read an analysis within the handler that asked for it.
   */
  analysis(uri: string): { doc: AnalyzedDocument; fresh: boolean; settings: ServerSettings } | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    const settings = this.settingsOf(uri);
    const key = JSON.stringify(settings);
    if (entry.analyzed && entry.analyzed.version === entry.version && entry.requestKey === key) return { doc: entry.analyzed, fresh: false, settings };
    const request = this.requestFor(settings);
    const started = performance.now();
    const compileTree = this.blankTreeOf(entry);
    const result = compileProgram(this.parser, { ...request, text: entry.text, programName: uri, tree: compileTree, incremental: entry.incremental });
    entry.analyzed = this.analyzedDocument(entry, result);
    entry.requestKey = key;
    entry.lastMs = performance.now() - started;
    return { doc: entry.analyzed, fresh: true, settings };
  }

  /** How many clauses the last analysis replayed from the one before, and checked (tests, measurements). */
  reuseOf(uri: string): { replayed: number; checked: number } | undefined {
    const reuse = this.entries.get(uri)?.incremental.clauses;
    return reuse && { replayed: reuse.replayed, checked: reuse.checked };
  }

  /** The tree the last analysis compiled (the text's, or that of the text with its control lines blanked). */
  compiledTree(uri: string): Tree | undefined {
    const entry = this.entries.get(uri);
    return entry?.blankTree ?? entry?.tree;
  }

  /** Frees every tree (the server is shutting down). */
  dispose(): void {
    for (const uri of [...this.entries.keys()]) this.close(uri);
    this.flushRetired();
  }

  /**
   * The document as analyzed. Its tree is parsed when a feature first reads it: with control
   * lines the front end compiles another tree, and diagnostics need neither this one nor the
   * wait for it.
   */
  private analyzedDocument(entry: Entry, result: AnalyzedDocument['result']): AnalyzedDocument {
    const { uri, version, text } = entry;
    let tree: Tree | undefined;
    const treeOf = (): Tree => {
      if (tree !== undefined) return tree;
      if (entry.text === text && this.entries.get(uri) === entry) return (tree = this.treeOf(entry));
      // Read after the document changed (or closed): a tree of its own, freed like a replaced one.
      tree = this.parser.parse(text) ?? undefined;
      if (!tree) throw new Error(`tree-sitter returned no tree for ${uri}`);
      this.retire(tree);
      return tree;
    };
    return {
      uri,
      version,
      text,
      result,
      get tree() {
        return treeOf();
      },
    };
  }

  private treeOf(entry: Entry): Tree {
    if (entry.tree && !entry.edited && entry.parsedText === entry.text) return entry.tree;
    const tree = this.parser.parse(entry.text, entry.edited ?? null);
    if (!tree) throw new Error(`tree-sitter returned no tree for ${entry.uri}`);
    entry.edited?.delete();
    entry.edited = undefined;
    this.retire(entry.tree);
    entry.tree = tree;
    entry.parsedText = entry.text;
    return tree;
  }

  /** The tree the front end compiles: the text's when it has no control lines, else that of the text with them blanked. */
  private blankTreeOf(entry: Entry): Tree {
    const last = entry.incremental.blanked;
    const edits = last?.controls !== undefined ? entry.edits : undefined;
    const moved = edits !== undefined ? controlLinesAfterEdits(last!.text, last!.controls!, edits) : undefined;
    const controls = moved ?? scanControlLines(entry.text);
    const blank = blankControlLines(entry.text, controls);
    entry.incremental.blanked = { text: entry.text, blank, controls };
    entry.edits = [];
    if (blank === entry.text) {
      if (entry.blankTree && entry.blankTree !== entry.tree) this.retire(entry.blankTree);
      entry.blankTree = undefined;
      entry.blankText = '';
      return this.treeOf(entry);
    }
    let previous: Tree | null = null;
    if (entry.blankTree) {
      if (entry.blankText === blank) return entry.blankTree;
      previous = entry.blankTree.copy();
      // The edits were made away from every control line: the blanked text took the same ones.
      if (moved !== undefined && last!.blank === entry.blankText) {
        let text = entry.blankText;
        for (let i = 0; i < edits!.length; i++) {
          const e = edits![i]!;
          previous.edit(editBetween(text, e.start, e.oldEnd, e.inserted));
          // The next edit's offsets are in the text this one made (the last one's is `blank`, made already).
          if (i + 1 < edits!.length) text = text.slice(0, e.start) + e.inserted + text.slice(e.oldEnd);
        }
      } else {
        const edit = diffEdit(entry.blankText, blank);
        if (edit) previous.edit(edit);
      }
    }
    const fresh = this.parser.parse(blank, previous);
    previous?.delete();
    if (!fresh) throw new Error(`tree-sitter returned no tree for ${entry.uri}`);
    this.retire(entry.blankTree);
    entry.blankTree = fresh;
    entry.blankText = blank;
    return fresh;
  }

  private retire(tree: Tree | undefined): void {
    if (!tree) return;
    this.retired.push(tree);
    // Handlers use a document's analysis within one turn of the event loop; trees two
    // generations old are no longer anyone's.
    if (this.retired.length > 2) this.flushRetired(1);
  }

  private flushRetired(keep = 0): void {
    const drop = this.retired.splice(0, this.retired.length - keep);
    for (const t of drop) t.delete();
  }
}

/** The control lines after `edits`, from those of `text` before them; undefined when an edit might change them. */
function controlLinesAfterEdits(text: string, lines: readonly ScannedControlLine[], edits: readonly TextEdit[]): readonly ScannedControlLine[] | undefined {
  for (const e of edits) {
    const next = controlLinesAfterEdit(text, lines, e.start, e.oldEnd, e.inserted);
    if (next === undefined) return undefined;
    lines = next;
    text = text.slice(0, e.start) + e.inserted + text.slice(e.oldEnd);
  }
  return lines;
}

/** Whether `after` is `text` with `[start, end)` replaced by `inserted`. */
function replaces(after: string, text: string, start: number, end: number, inserted: string): boolean {
  return after.length === text.length - (end - start) + inserted.length && after.startsWith(inserted, start) && after.startsWith(text.slice(0, start)) && after.endsWith(text.slice(end));
}

/** The UTF-16 offset of an LSP position (lines broken at `\r\n`, `\r` or `\n`). */
export function offsetOf(text: string, line: number, character: number): number {
  // Without a `\r`, lines break at `\n` only: found natively, a long document's edit costs little.
  if (text.indexOf('\r') < 0) {
    let start = 0;
    for (let l = 0; l < line; l++) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) return text.length;
      start = nl + 1;
    }
    const nl = text.indexOf('\n', start);
    return Math.min(start + Math.max(0, character), nl < 0 ? text.length : nl);
  }
  let offset = 0;
  for (let l = 0; l < line; l++) {
    let i = offset;
    while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    if (i >= text.length) return text.length;
    offset = text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
  }
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return Math.min(offset + Math.max(0, character), end);
}

/** The tree-sitter point of a UTF-16 offset: rows broken at `\n`, columns in UTF-16 units. */
export function pointOf(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/**
 * The edit that replaces `before[start, oldEnd)` with `inserted`. The text after it is not
 * read: a string made by concatenation is copied whole (flattened) when first read.
 */
function editBetween(before: string, start: number, oldEnd: number, inserted: string): Edit {
  const startPosition = pointOf(before, start);
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: start + inserted.length,
    startPosition,
    oldEndPosition: advance(startPosition, before, start, oldEnd),
    newEndPosition: advance(startPosition, inserted, 0, inserted.length),
  });
}

/** The point reached from `from` (the point of `text[start]`) at `text[end]`. */
function advance(from: Point, text: string, start: number, end: number): Point {
  let { row, column } = from;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      row++;
      column = 0;
    } else column++;
  }
  return { row, column };
}

/** The one edit between two texts: everything between their common prefix and suffix. */
export function diffEdit(before: string, after: string): Edit | undefined {
  const change = textChange(before, after);
  return change && editBetween(before, change.start, change.beforeEnd, after.slice(change.start, change.afterEnd));
}
