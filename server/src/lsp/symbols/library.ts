// What the D library files define (typedefs, tags, inlines, translators, enumerators), with
// their files and ranges, so that "go to definition" can open them and rename can refuse to
// touch them. Computed once per set of loaded libraries.
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import type { Parser } from '../../parse/dParser';
import { loadLibraries } from '../../analyze/frontEnd';
import type { Flavour } from '../../analyze/flavour/flavours';
import { LineIndex } from './lineIndex';
import { OccurrenceCollector, type Occurrence } from './occurrences';

export interface LibraryDefinition {
  occurrence: Occurrence;
  file: string;
  location: Location;
}

export interface LibraryIndex {
  /** Definitions by symbol key (`typedef:psinfo_t`, `inline:curpsinfo`, `translator:psinfo_t` ...). */
  definitions: Map<string, LibraryDefinition[]>;
  inlines: Set<string>;
  enumerators: Set<string>;
  /** A library file's text. */
  text(file: string): string | undefined;
  /** The location of a definition the analysis recorded with its file (inlines, enumerators, variables). */
  locate(file: string, span: { startIndex: number; endIndex: number }): Location | undefined;
}

const cached = new Map<unknown, LibraryIndex>();

/** The definitions of the D library files a flavour loads. */
export function libraryIndex(parser: Parser, flavour: Flavour): LibraryIndex {
  const libraries = loadLibraries(parser, flavour);
  const known = cached.get(libraries);
  if (known) return known;
  const definitions = new Map<string, LibraryDefinition[]>();
  const inlines = new Set<string>();
  const enumerators = new Set<string>();
  const lines = new Map<string, LineIndex>();
  const texts = new Map<string, string>();
  const noNames = { identifier: () => 'global' as const };
  for (const lib of libraries) {
    const lineIndex = new LineIndex(lib.source);
    lines.set(lib.file, lineIndex);
    texts.set(lib.file, lib.source);
    const uri = pathToFileURL(lib.file).toString();
    for (const o of new OccurrenceCollector(lib.source, noNames).program(lib.program).occurrences) {
      if (o.role !== 'definition' || o.kind === 'param' || o.kind === 'member') continue;
      if (o.kind === 'inline') inlines.add(o.name);
      if (o.kind === 'enumerator') enumerators.add(o.name);
      const list = definitions.get(o.key) ?? [];
      list.push({ occurrence: o, file: lib.file, location: { uri, range: lineIndex.range(o.start, o.end) } });
      definitions.set(o.key, list);
    }
  }
  const index: LibraryIndex = {
    definitions,
    inlines,
    enumerators,
    text: (file) => texts.get(file),
    locate(file, span) {
      const l = lines.get(file);
      return l ? { uri: pathToFileURL(file).toString(), range: l.range(span.startIndex, span.endIndex) } : undefined;
    },
  };
  cached.set(libraries, index);
  return index;
}
