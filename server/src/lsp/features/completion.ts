// Completion, by where the cursor is: probe descriptions field by field (from the document's
// catalogue, so it follows the flavour), `#pragma D option` names and values, printf
// conversions in a format string, `self->`/`this->` variables in use, aggregation names,
// struct members after `->`/`.`, macro variables, and otherwise the names an expression may
// use (variables, inlines, built-ins, subroutines and actions as snippets). It reads the text
// around the cursor (the tree is broken while the user types) and types from the analysis of
// this version or of the last one that compiled.
import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver';
import type { Feature } from '../featureContext';
import { BUILTIN_ARRAYS, BUILTIN_VARIABLES } from '../../analyze/builtins/variables';
import { BUILTIN_FUNCTIONS, type BuiltinFunction } from '../../analyze/builtins/functions';
import { FUNCTION_DOCS, MACRO_DOCS, VARIABLE_DOCS } from '../../analyze/builtins/docs';
import { OPTION_BY_NAME } from '../../analyze/options/optionTable';
import { CONVERSIONS } from '../../analyze/printf/conversions';
import { typeName } from '../../analyze/types/ctype';
import { symbolIndexOf, watchAnalyses, type SymbolIndex } from '../symbols/symbolIndex';
import type { Occurrence } from '../symbols/occurrences';
import { cursorContext, wordBefore } from '../symbols/cursorContext';
import { membersOf, postfixBefore, typeOfText } from '../symbols/memberTypes';
import { pragmaOption, typingPragmaOption } from '../symbols/pragmas';
import { countProbes, probeTree, type Modules } from '../symbols/probeTree';
import { parameterRanges } from './signatureHelp';
import * as D from '../symbols/describe';

const EXPRESSION_KEYWORDS = ['self', 'this', 'sizeof', 'stringof', 'offsetof', 'xlate', 'if', 'else'];
const TOP_KEYWORDS = ['inline', 'typedef', 'translator', 'provider', 'struct', 'union', 'enum', 'self', 'this'];
const PRAGMA_WORDS = ['option', 'attributes', 'binding', 'depends_on'];
const TYPE_KEYWORDS = ['struct', 'union', 'enum', 'unsigned', 'signed', 'char', 'short', 'int', 'long', 'string', 'void', 'const', 'userland'];

export function completionsAt(index: SymbolIndex, offset: number): CompletionList {
  const text = index.doc.text;
  const line = index.lines.lineAt(offset);
  const lineBefore = text.slice(line.start, offset);
  const context = cursorContext(text, offset, index.scanStart(offset));
  const list = (items: CompletionItem[]): CompletionList => ({ isIncomplete: false, items });
  switch (context.region) {
    case 'comment':
    case 'char':
      return list([]);
    case 'control':
      return list(controlLineItems(index, lineBefore, offset));
    case 'string':
      return list(formatItems(index, context, offset));
    case 'heading':
      // `inline int x = ...`: the value of a top-level definition is an expression.
      if (text.slice(context.itemStart, offset).includes('=')) return list(expressionItems(index, offset));
      return list(probeItems(index, offset));
    case 'predicate':
    case 'body':
      return list(expressionItems(index, offset));
  }
}

function replacing(index: SymbolIndex, start: number, end: number): Range {
  return index.lines.range(start, end);
}

// ---- control lines: `#pragma D option name=value` ----

function controlLineItems(index: SymbolIndex, lineBefore: string, offset: number): CompletionItem[] {
  const word = wordBefore(index.doc.text, offset);
  const range = replacing(index, offset - word.length, offset);
  if (typingPragmaOption(lineBefore)) {
    return [...OPTION_BY_NAME.values()].map((spec) => ({
      label: spec.name,
      kind: CompletionItemKind.Property,
      detail: `${spec.kind === 'none' ? 'switch' : spec.kind} option, default ${spec.defaultText}`,
      documentation: { kind: 'markdown', value: D.describeOption(spec.name)! },
      textEdit: { range, newText: spec.name },
    }));
  }
  const option = pragmaOption(lineBefore);
  if (option && option.valueStart !== undefined) {
    const spec = OPTION_BY_NAME.get(option.name);
    if (!spec) return [];
    const valueRange = replacing(index, offset - (option.value ?? '').length, offset);
    const values =
      spec.kind === 'enum'
        ? [...spec.words!]
        : spec.kind === 'bool'
          ? ['yes', 'no']
          : spec.kind === 'size'
            ? ['256', '1k', '64k', '1m', '4m', '16m', '64m']
            : spec.kind === 'time'
              ? ['1hz', '10hz', '100hz', '1s', '100ms', '10ms']
              : [];
    return values.map((v, i) => ({ label: v, kind: CompletionItemKind.Value, sortText: String(i).padStart(3, '0'), textEdit: { range: valueRange, newText: v } }));
  }
  if (/^\s*#\s*pragma\s+D\s+\w*$/.test(lineBefore))
    return PRAGMA_WORDS.map((w) => ({ label: w, kind: CompletionItemKind.Keyword, textEdit: { range, newText: w } }));
  return [];
}

// ---- printf conversions ----

const FORMATTING = new Set(['printf', 'printa', 'system', 'freopen']);

function formatItems(index: SymbolIndex, context: ReturnType<typeof cursorContext>, offset: number): CompletionItem[] {
  const call = context.calls[context.calls.length - 1];
  if (!call || !call.name || !FORMATTING.has(call.name) || call.argument !== 0) return [];
  const inString = index.doc.text.slice(context.tokenStart + 1, offset);
  const m = /%([-+ #0']*)(\d+|\*)?(\.(\d+|\*)?)?(@?)([hlLwz]*)$/.exec(inString);
  if (!m) return [];
  const size = m[6] ?? '';
  const start = offset - size.length;
  const range = replacing(index, start, offset);
  const items: CompletionItem[] = CONVERSIONS.filter((c) => c.name.startsWith(size)).map((c, i) => ({
    label: `%${m[1] ?? ''}${m[2] ?? ''}${m[3] ?? ''}${m[5] ?? ''}${c.name}`,
    filterText: c.name,
    kind: CompletionItemKind.Value,
    detail: c.prototype,
    documentation: c.description,
    sortText: String(i).padStart(3, '0'),
    textEdit: { range, newText: c.name },
  }));
  if (call.name === 'printa' && m[5] === '' && size === '')
    items.push({ label: '%@d', filterText: '@d', kind: CompletionItemKind.Value, detail: 'aggregation value', documentation: 'The value of the aggregation (printa() only); `%@u`, `%@x` ... also work.', textEdit: { range, newText: '@d' } });
  return items;
}

// ---- probe descriptions, field by field ----

function probeItems(index: SymbolIndex, offset: number): CompletionItem[] {
  const text = index.doc.text;
  let j = offset;
  while (j > 0 && /[A-Za-z0-9_\-$:*?.[\]!\\`]/.test(text[j - 1]!)) j--;
  const token = text.slice(j, offset);
  const fields = token.split(':');
  const field = fields.length - 1;
  if (field > 3) return [];
  const typed = fields[field]!;
  const range = replacing(index, offset - typed.length, offset);
  const tree = probeTree(index.doc.result.catalogue);
  const item = (label: string, kind: CompletionItemKind, detail: string, sort: number): CompletionItem => ({
    label,
    kind,
    detail,
    sortText: `${sort}${label}`,
    textEdit: { range, newText: label },
  });
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  const push = (c: CompletionItem): void => {
    if (seen.has(c.label)) return;
    seen.add(c.label);
    out.push(c);
  };
  const [provider, module, func] = fields;
  const modulesOf = (p: string): Modules => tree.providers.get(p) ?? new Map();
  switch (field) {
    case 0:
      for (const [p, modules] of tree.providers) push(item(p, CompletionItemKind.Module, `provider (${countProbes(modules)} probes)`, 1));
      // Names written alone: BEGIN, END, ERROR, tick-1s ...
      for (const p of ['dtrace', 'profile'])
        for (const functions of modulesOf(p).values()) for (const names of functions.values()) for (const n of names) push(item(n, CompletionItemKind.Event, `${p} probe`, 0));
      if (j === index.lines.lineAt(offset).start) for (const k of TOP_KEYWORDS) push(item(k, CompletionItemKind.Keyword, 'keyword', 2));
      break;
    case 1:
      for (const m of modulesOf(provider!).keys()) if (m !== '') push(item(m, CompletionItemKind.Folder, `module of ${provider}`, 0));
      break;
    case 2:
      for (const [m, functions] of modulesOf(provider!)) {
        if (module !== '' && m !== module) continue;
        for (const f of functions.keys()) if (f !== '') push(item(f, CompletionItemKind.Function, `function of ${provider}`, 0));
      }
      break;
    case 3:
      for (const [m, functions] of modulesOf(provider!)) {
        if (module !== '' && m !== module) continue;
        for (const [f, names] of functions) {
          if (func !== '' && f !== func) continue;
          for (const n of names) push(item(n, CompletionItemKind.Event, `probe of ${provider}`, 0));
        }
      }
      break;
  }
  return out;
}

// ---- expressions ----

/**
 * Whether a symbol's only mentions are what the user is typing: the word at the cursor, or
 * the next word, which a half-typed `self->` or `@` runs into.
 */
function onlyBeingTyped(list: readonly Occurrence[], from: number, text: string, offset: number): boolean {
  let next = offset;
  while (next < text.length && /\s/.test(text[next]!)) next++;
  return list.every((o) => o.start >= from && o.start <= next);
}

function expressionItems(index: SymbolIndex, offset: number): CompletionItem[] {
  const text = index.doc.text;
  const word = wordBefore(text, offset);
  const wordStart = offset - word.length;
  const typing = (list: readonly Occurrence[]): boolean => onlyBeingTyped(list, wordStart - 1, text, offset);
  const range = replacing(index, wordStart, offset);
  const before = text.slice(Math.max(0, wordStart - 64), wordStart);
  const clause = index.clauseAt(offset);
  const c = index.analysis?.compilation;

  const scoped = /(self|this)\s*->\s*$/.exec(before);
  if (scoped) return scopedItems(index, scoped[1] === 'self' ? 'thread' : 'clause', clause, range, typing);
  if (before.endsWith('->') || (before.endsWith('.') && !/[0-9]\.$/.test(before))) {
    const arrow = before.endsWith('->');
    const exprEnd = wordStart - (arrow ? 2 : 1);
    const expr = postfixBefore(text, exprEnd);
    if (!c || expr === '') return [];
    const t = typeOfText(index, c, expr, clause);
    const members = t ? membersOf(t, arrow) : undefined;
    return (members ?? []).map((m) => ({
      label: m.name,
      kind: CompletionItemKind.Field,
      detail: typeName(m.type),
      textEdit: { range, newText: m.name },
    }));
  }
  if (before.endsWith('@')) return aggregationItems(index, replacing(index, wordStart - 1, offset), typing);
  if (before.endsWith('$') || before.endsWith('$$')) {
    const dollars = before.endsWith('$$') ? 2 : 1;
    return macroItems(replacing(index, wordStart - dollars, offset), dollars === 2);
  }
  // Editors match completions from their first letter: sending only those keeps a list of
  // hundreds of names (errno and signal enumerators, inlines) small while the user types.
  const first = word.charAt(0).toLowerCase();
  const items: CompletionItem[] = [];
  for (const { item, newText, occurrences } of expressionCandidates(index)) {
    if (first !== '' && item.label.charAt(0).toLowerCase() !== first) continue;
    if (occurrences && typing(occurrences)) continue;
    items.push({ ...item, textEdit: { range, newText } });
  }
  // Where a type may start (a cast, sizeof, offsetof, xlate): the type names too.
  if (/(\(|\bxlate\s*<)\s*$/.test(before) && c) {
    for (const name of c.types.typedefs.keys()) {
      if (!c.types.isDTypedef(name) || (first !== '' && name.charAt(0).toLowerCase() !== first)) continue;
      items.push({ label: name, kind: CompletionItemKind.TypeParameter, detail: 'type', sortText: `6${name}`, textEdit: { range, newText: name } });
    }
    for (const k of TYPE_KEYWORDS)
      if (first === '' || k.charAt(0) === first) items.push({ label: k, kind: CompletionItemKind.Keyword, sortText: `6${k}`, textEdit: { range, newText: k } });
  }
  return items;
}

interface Candidate {
  item: CompletionItem;
  newText: string;
  /** A variable's mentions: it is left out when the only one is the word being typed. */
  occurrences?: readonly Occurrence[];
}

const candidates = new WeakMap<SymbolIndex, Candidate[]>();

/** The names an expression may use, once per index: the script's variables first, then built-ins. */
function expressionCandidates(index: SymbolIndex): Candidate[] {
  const known = candidates.get(index);
  if (known) return known;
  const c = index.analysis?.compilation;
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (item: CompletionItem, newText = item.label, occurrences?: readonly Occurrence[]): void => {
    if (seen.has(item.label)) return;
    seen.add(item.label);
    out.push(occurrences ? { item, newText, occurrences } : { item, newText });
  };
  for (const [key, list] of index.byKey) {
    if (!key.startsWith('global:')) continue;
    const name = list[0]!.name;
    const v = c?.globals.get(name);
    add({ label: name, kind: CompletionItemKind.Variable, detail: v?.type ? typeName(v.type) : 'global variable', sortText: `0${name}` }, name, list);
  }
  for (const v of c?.globals.all() ?? []) add({ label: v.name, kind: CompletionItemKind.Variable, detail: v.type ? typeName(v.type) : 'global variable', sortText: `0${v.name}` });
  for (const [name, info] of c?.inlines ?? []) {
    if (info.value.k === 'error') continue; // an inline array's key name, visible only in its definition
    add({ label: name, kind: CompletionItemKind.Constant, detail: `inline ${typeName(info.type)}`, sortText: `1${name}` });
  }
  for (const [key, list] of index.byKey) if (key.startsWith('inline:')) add({ label: list[0]!.name, kind: CompletionItemKind.Constant, detail: 'inline', sortText: `1${list[0]!.name}` });
  for (const b of BUILTIN_VARIABLES) add({ label: b.name, kind: CompletionItemKind.Variable, detail: b.type, documentation: VARIABLE_DOCS[b.name] ?? b.doc, sortText: `2${b.name}` });
  for (const [name, info] of BUILTIN_ARRAYS) add({ label: name, kind: CompletionItemKind.Variable, detail: `${name}[]`, documentation: VARIABLE_DOCS[name] ?? info.doc, sortText: `2${name}` });
  for (const { item, snippet } of functionItems()) add(item, snippet);
  for (const [name, e] of c?.enumerators ?? []) add({ label: name, kind: CompletionItemKind.EnumMember, detail: `${typeName(e.type)} = ${e.value}`, sortText: `4${name}` });
  for (const k of EXPRESSION_KEYWORDS) add({ label: k, kind: CompletionItemKind.Keyword, sortText: `5${k}` });
  candidates.set(index, out);
  return out;
}

let builtinFunctionItems: { item: CompletionItem; snippet: string }[] | undefined;

/** The subroutines' and actions' items (the same for every document: built once). */
function functionItems(): { item: CompletionItem; snippet: string }[] {
  return (builtinFunctionItems ??= BUILTIN_FUNCTIONS.map(functionItem));
}

function functionItem(f: BuiltinFunction): { item: CompletionItem; snippet: string } {
  const signature = D.functionSignature(f);
  const required = parameterRanges(signature)
    .map(([s, e]) => signature.slice(s, e))
    .filter((p) => !p.startsWith('[') && p !== '...');
  const snippet = `${f.name}(${required.map((p, i) => `\${${i + 1}:${p.split(/[\s*]+/).pop()!.replace(/[{}$\\]/g, '')}}`).join(', ')})`;
  const item: CompletionItem = {
    label: f.name,
    kind: f.kind === 'action' ? CompletionItemKind.Method : CompletionItemKind.Function,
    detail: signature,
    documentation: { kind: 'markdown', value: `${D.functionKindText(f)}.\n\n${FUNCTION_DOCS[f.name]?.doc ?? f.doc}` },
    sortText: `3${f.name}`,
    insertTextFormat: InsertTextFormat.Snippet,
  };
  return { item, snippet };
}

function scopedItems(index: SymbolIndex, scope: 'thread' | 'clause', clause: number, range: Range, typing: (list: readonly Occurrence[]) => boolean): CompletionItem[] {
  const c = index.analysis?.compilation;
  const table = scope === 'thread' ? c?.threadLocals : c?.clauseLocals;
  const prefixes = scope === 'thread' ? ['thread:'] : [`clause:${clause}:`, 'clause:*:'];
  const names = new Map<string, number>();
  for (const [key, list] of index.byKey) {
    if (!prefixes.some((p) => key.startsWith(p)) || typing(list)) continue;
    names.set(list[0]!.name, list.length);
  }
  // A clause-local of another clause is less likely: it lasts for one firing.
  if (scope === 'clause') for (const [key, list] of index.byKey) if (key.startsWith('clause:') && !names.has(list[0]!.name) && !typing(list)) names.set(list[0]!.name, -1);
  if (scope === 'thread') for (const v of table?.all() ?? []) if (v.definitionFile === undefined && !names.has(v.name)) names.set(v.name, 0);
  return [...names].map(([name, uses]) => {
    const v = table?.get(name);
    return {
      label: name,
      kind: CompletionItemKind.Field,
      detail: v?.type ? typeName(v.type) : scope === 'thread' ? 'thread-local variable' : 'clause-local variable',
      sortText: `${uses < 0 ? 1 : 0}${name}`,
      textEdit: { range, newText: name },
    };
  });
}

function aggregationItems(index: SymbolIndex, range: Range, typing: (list: readonly Occurrence[]) => boolean): CompletionItem[] {
  const names = new Set<string>();
  for (const [key, list] of index.byKey) if (key.startsWith('agg:') && !typing(list)) names.add(list[0]!.name);
  for (const name of index.analysis?.compilation.aggregations.keys() ?? []) names.add(name.replace(/^@/, ''));
  return [...names].map((name) => ({
    label: `@${name}`,
    kind: CompletionItemKind.Variable,
    detail: D.aggregationSignature(index.analysis, name),
    textEdit: { range, newText: `@${name}` },
  }));
}

function macroItems(range: Range, asString: boolean): CompletionItem[] {
  const prefix = asString ? '$$' : '$';
  const items: CompletionItem[] = [];
  for (let n = 0; n <= 9; n++) items.push({ label: `${prefix}${n}`, kind: CompletionItemKind.Constant, detail: n === 0 ? 'script name' : `macro argument ${n}`, sortText: `0${n}`, textEdit: { range, newText: `${prefix}${n}` } });
  for (const [name, doc] of Object.entries(MACRO_DOCS)) {
    if (name === '$0') continue;
    const label = prefix + name.slice(1);
    items.push({ label, kind: CompletionItemKind.Constant, documentation: doc, sortText: `1${label}`, textEdit: { range, newText: label } });
  }
  return items;
}

export const completionFeature: Feature = (ctx) => {
  watchAnalyses(ctx);
  ctx.connection.onCompletion(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const index = symbolIndexOf(doc, ctx.parser);
    return completionsAt(index, index.lines.offset(params.position));
  });
  return { completionProvider: { triggerCharacters: ['>', '.', '@', ':', '$', '%', '='], resolveProvider: false } };
};
