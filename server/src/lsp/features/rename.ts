// Rename of globals, thread-locals, clause-locals (within their clause), aggregations, inlines,
// typedefs, tags, enumerators and translator or inline-array parameters. Refused, with the
// reason, where the result would not mean the same program: built-ins, names the D library
// files define, invalid identifiers and keywords, and names already taken.
import { LSPErrorCodes, ResponseError, type Range, type TextEdit } from 'vscode-languageserver';
import type { Feature } from '../featureContext';
import { BUILTIN_ARRAYS, BUILTIN_VARIABLES } from '../../analyze/builtins/variables';
import { FUNCTIONS_BY_NAME } from '../../analyze/builtins/functions';
import { symbolIndexOf, watchAnalyses, type SymbolIndex } from '../symbols/symbolIndex';
import { clauseKey, type Occurrence } from '../symbols/occurrences';
import { libraryLocations } from '../symbols/navigation';
import { D_KEYWORDS } from '../symbols/keywords';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILTIN_NAMES = new Set([...BUILTIN_VARIABLES.map((v) => v.name), ...BUILTIN_ARRAYS.keys()]);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const KIND_WORDS: Record<string, string> = {
  global: 'global variable',
  thread: 'thread-local variable',
  clause: 'clause-local variable',
  aggregation: 'aggregation',
  inline: 'inline',
  typedef: 'typedef',
  tag: 'type tag',
  enumerator: 'enumerator',
  param: 'parameter',
};

const refuse = (message: string): never => {
  throw new ResponseError(LSPErrorCodes.RequestFailed, message);
};

/** The symbol to rename and the range of its name (an aggregation's without its `@`). */
function renameTarget(index: SymbolIndex, offset: number): { o: Occurrence; start: number; end: number } {
  const s = index.symbolAt(offset) ?? refuse('There is no symbol to rename here.');
  switch (s.kind) {
    case 'builtin':
    case 'builtinArray':
      refuse(`\`${s.name}\` is a built-in variable: it cannot be renamed.`);
      break;
    case 'function':
      refuse(`\`${s.name}\` is a built-in ${functionKindWord(s.name)}: it cannot be renamed.`);
      break;
    case 'macro':
      refuse(`\`${s.name}\` is a macro variable: it cannot be renamed.`);
      break;
    case 'member':
      refuse(`\`${s.name}\` is a member of a struct: renaming members is not supported.`);
      break;
    case 'translator':
      refuse('A translator has no name of its own: rename its output type instead.');
      break;
    case 'probeProvider':
    case 'probeModule':
    case 'probeFunction':
    case 'probeName':
      refuse('Probe descriptions name probes of the system: they cannot be renamed.');
      break;
  }
  const library = libraryLocations(index, s);
  const defined = index.occurrencesOf(s.key).some((x) => x.role !== 'read');
  if (library.length > 0 && !index.occurrencesOf(s.key).some((x) => x.role === 'definition'))
    refuse(`\`${displayName(s)}\` is defined in the D library file ${basename(fileURLToPath(library[0]!.uri))}: it cannot be renamed here.`);
  if (!defined && (s.kind === 'typedef' || s.kind === 'tag' || s.kind === 'inline' || s.kind === 'enumerator'))
    refuse(`\`${displayName(s)}\` is not defined in this script: it cannot be renamed here.`);
  return s.kind === 'aggregation' ? { o: s, start: s.start + 1, end: s.end } : { o: s, start: s.start, end: s.end };
}

function functionKindWord(name: string): string {
  const kind = FUNCTIONS_BY_NAME.get(name)?.kind;
  return kind === 'action' ? 'action' : kind === 'aggregating' ? 'aggregating function' : 'subroutine';
}

function displayName(o: Occurrence): string {
  return o.kind === 'thread' ? `self->${o.name}` : o.kind === 'clause' ? `this->${o.name}` : o.kind === 'aggregation' ? `@${o.name}` : o.name;
}

/** The new name without the prefix a user may type with it (`self->`, `this->`, `@`). */
function bareName(o: Occurrence, newName: string): string {
  const n = newName.trim();
  if (o.kind === 'thread') return n.replace(/^self->/, '');
  if (o.kind === 'clause') return n.replace(/^this->/, '');
  if (o.kind === 'aggregation') return n.replace(/^@/, '');
  if (o.kind === 'tag') return n.replace(/^(struct|union|enum)\s+/, '');
  return n;
}

/** Why `name` may not replace the symbol's name, if it may not. */
function clash(index: SymbolIndex, o: Occurrence, name: string): string | undefined {
  const c = index.analysis?.compilation;
  const taken = (key: string): boolean => index.occurrencesOf(key).length > 0;
  switch (o.kind) {
    case 'thread':
      if (taken(`thread:${name}`) || c?.threadLocals.get(name)) return `thread-local variable self->${name} already exists`;
      return undefined;
    case 'clause': {
      const key = o.key.startsWith('clause:*:') ? `clause:*:${name}` : clauseKey(name, o.clause, new Set());
      if (taken(key) || taken(`clause:*:${name}`)) return `clause-local variable this->${name} already exists in this clause`;
      return undefined;
    }
    case 'aggregation':
      if (taken(`agg:${name}`) || c?.aggregations.has('@' + name)) return `aggregation @${name} already exists`;
      return undefined;
    case 'tag': {
      const keyword = o.name.split(' ')[0]!;
      if (taken(`tag:${keyword} ${name}`) || c?.types.tags.has(`${keyword} ${name}`)) return `${keyword} ${name} already exists`;
      return undefined;
    }
    case 'param': {
      // A parameter hides globals of its name inside its translator or inline.
      const scope = o.key.slice(0, o.key.lastIndexOf(':') + 1);
      if (taken(scope + name)) return `parameter ${name} already exists`;
      const owner = index.doc.result.program.items.find((i) => `param:${i.span.startIndex}:` === scope);
      if (owner && index.occurrences.some((x) => x.name === name && x.start >= owner.span.startIndex && x.end <= owner.span.endIndex && x.kind !== 'member'))
        return `${name} is already used inside this definition`;
      return undefined;
    }
    default: {
      // Globals, inlines, typedefs and enumerators share one namespace with the built-ins.
      if (BUILTIN_NAMES.has(name)) return `${name} is a built-in variable`;
      const f = FUNCTIONS_BY_NAME.get(name);
      if (f) return `${name} is a built-in ${functionKindWord(name)}`;
      if (taken(`inline:${name}`) || c?.inlines.has(name) || index.library.inlines.has(name)) return `${name} is already an inline`;
      if (taken(`typedef:${name}`) || c?.types.typedefs.has(name)) return `${name} is already a type name`;
      if (taken(`enum:${name}`) || c?.enumerators.has(name) || index.library.enumerators.has(name)) return `${name} is already an enumerator`;
      if (taken(`global:${name}`) || c?.globals.get(name)) return `${name} is already a global variable`;
      return undefined;
    }
  }
}

export const renameFeature: Feature = (ctx) => {
  watchAnalyses(ctx);
  ctx.connection.onPrepareRename(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const index = symbolIndexOf(doc, ctx.parser);
    const t = renameTarget(index, index.lines.offset(params.position));
    const range: Range = index.lines.range(t.start, t.end);
    return { range, placeholder: doc.text.slice(t.start, t.end) };
  });
  ctx.connection.onRenameRequest(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const index = symbolIndexOf(doc, ctx.parser);
    const t = renameTarget(index, index.lines.offset(params.position));
    const name = bareName(t.o, params.newName);
    if (!IDENTIFIER.test(name)) refuse(`\`${params.newName}\` is not a valid D identifier.`);
    if (D_KEYWORDS.has(name)) refuse(`\`${name}\` is a D keyword.`);
    const current = t.o.kind === 'tag' ? t.o.name.split(' ')[1]! : t.o.name;
    if (name === current) return { changes: { [doc.uri]: [] } };
    const why = clash(index, t.o, name);
    if (why) refuse(`Cannot rename ${KIND_WORDS[t.o.kind] ?? 'symbol'} \`${displayName(t.o)}\` to \`${name}\`: ${why}.`);
    const edits: TextEdit[] = index.occurrencesOf(t.o.key).map((x) => {
      const start = t.o.kind === 'aggregation' ? x.start + 1 : x.start;
      return { range: index.lines.range(start, x.end), newText: name };
    });
    return { changes: { [doc.uri]: edits } };
  });
  return { renameProvider: { prepareProvider: true } };
};
