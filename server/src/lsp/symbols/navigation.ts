// Where a symbol is defined and used, for go to definition, references, highlights and rename:
// in the document itself, and for names the D library files define, in those files.
import type { Location } from 'vscode-languageserver';
import type { Occurrence } from './occurrences';
import type { SymbolIndex } from './symbolIndex';
import { variableOf } from './describe';

/** Kinds whose occurrences are one symbol that the user can navigate between. */
export const NAVIGABLE = new Set<Occurrence['kind']>([
  'global', 'thread', 'clause', 'aggregation', 'inline', 'typedef', 'tag', 'translator', 'enumerator', 'param',
]);

/**
 * The occurrence under the cursor that navigation is about: the translator when the cursor is
 * on the type of an `xlate` (its definition is the translator's), else the symbol.
 */
export function navigationTarget(index: SymbolIndex, offset: number, preferTranslator: boolean): Occurrence | undefined {
  const found = index.at(offset);
  if (preferTranslator) {
    const t = found.find((o) => o.kind === 'translator' && o.role === 'read');
    if (t) return t;
  }
  return found[0];
}

/** Where a symbol is defined outside the document (the D library files), if anywhere. */
export function libraryLocations(index: SymbolIndex, o: Occurrence): Location[] {
  const defs = index.library.definitions.get(o.key)?.map((d) => d.location) ?? [];
  if (defs.length > 0) return defs;
  const c = index.analysis?.compilation;
  const recorded =
    o.kind === 'inline' ? c?.inlines.get(o.name) : o.kind === 'enumerator' ? c?.enumerators.get(o.name) : variableOf(index.analysis, o);
  if (recorded?.definitionFile !== undefined && recorded.definition) {
    const at = index.library.locate(recorded.definitionFile, recorded.definition);
    if (at) return [at];
  }
  return [];
}

/** The definitions of a symbol: its declaration in the document, else the library's, else its first assignment. */
export function definitionLocations(index: SymbolIndex, o: Occurrence): Location[] {
  const uri = index.doc.uri;
  const list = index.occurrencesOf(o.key);
  const declared = list.filter((x) => x.role === 'definition');
  if (declared.length > 0) return declared.map((x) => ({ uri, range: index.lines.range(x.start, x.end) }));
  const library = libraryLocations(index, o);
  if (library.length > 0) return library;
  const first = index.definitionOf(o.key);
  return first ? [{ uri, range: index.lines.range(first.start, first.end) }] : [];
}
