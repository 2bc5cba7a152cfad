// What the editor says about a symbol: hover text and completion documentation, in Markdown.
// Types come from the analysis (this version's or the last one that compiled).
import { basename } from 'node:path';
import type * as A from '../../parse/ast';
import type { Analysis } from '../../analyze/program';
import type { Variable } from '../../analyze/symbols';
import { BUILTIN_ARRAYS, BUILTIN_VARIABLES } from '../../analyze/builtins/variables';
import { FUNCTIONS_BY_NAME, type BuiltinFunction } from '../../analyze/builtins/functions';
import { FUNCTION_DOCS, MACRO_DOCS, OPTION_NOTES, OPTION_UNITS, VARIABLE_DOCS } from '../../analyze/builtins/docs';
import { optionSpec } from '../../analyze/options/optionTable';
import { resolve, typeName, type CType, type StructType } from '../../analyze/types/ctype';
import type { ProbeCatalogue, Probe } from '../../analyze/catalogue';
import type { Occurrence } from './occurrences';
import type { SymbolIndex } from './symbolIndex';

const BUILTINS = new Map(BUILTIN_VARIABLES.map((v) => [v.name, v]));

export const code = (text: string): string => '```dtrace\n' + text + '\n```';

/** The D variable an occurrence names, from the analysis tables. */
export function variableOf(analysis: Analysis | undefined, o: Occurrence): Variable | undefined {
  const c = analysis?.compilation;
  if (!c) return undefined;
  if (o.kind === 'global') return c.globals.get(o.name);
  if (o.kind === 'thread') return c.threadLocals.get(o.name);
  if (o.kind === 'clause') return c.clauseLocals.get(o.name);
  return undefined;
}

const PREFIX: Record<string, string> = { global: '', thread: 'self->', clause: 'this->' };

/** `uint64_t self->ts`, `int64_t counts[string, int]`. */
export function variableSignature(o: Occurrence, v: Variable | undefined): string {
  const keys = v?.shape === 'assoc' ? `[${(v.keys ?? []).map(typeName).join(', ')}]` : '';
  const name = `${PREFIX[o.kind] ?? ''}${o.name}`;
  return `${v?.type ? declaration(v.type, name) : `(type not yet known) ${name}`}${keys}`;
}

function where(index: SymbolIndex, o: Occurrence | undefined, verb: string): string {
  if (!o) return '';
  return `${verb} on line ${index.lines.position(o.start).line + 1}`;
}

export function describeVariable(index: SymbolIndex, o: Occurrence): string {
  const v = variableOf(index.analysis, o);
  const scope =
    o.kind === 'global'
      ? 'Global variable'
      : o.kind === 'thread'
        ? 'Thread-local variable: each thread has its own value'
        : 'Clause-local variable: its value lasts for one probe firing';
  const def = index.definitionOf(o.key);
  let origin: string;
  if (v?.definitionFile !== undefined) origin = `declared in ${basename(v.definitionFile)}`;
  else if (def?.role === 'definition') origin = where(index, def, 'declared');
  else if (def?.role === 'write') origin = where(index, def, 'first assigned');
  else origin = 'never assigned';
  return `${code(variableSignature(o, v))}\n\n${scope}; ${origin}.`;
}

export function aggregationSignature(analysis: Analysis | undefined, name: string): string {
  const info = analysis?.compilation.aggregations.get('@' + name) ?? analysis?.compilation.aggregations.get(name);
  const keys = info?.keys && info.keys.length > 0 ? `[${info.keys.map(typeName).join(', ')}]` : '';
  const params = info?.params?.map(String) ?? [];
  const fn = info?.fn ? ` = ${info.fn}(${info.fn === 'count' ? '' : ['value', ...params].join(', ')})` : '';
  return `@${name}${keys}${fn}`;
}

export function describeAggregation(index: SymbolIndex, o: Occurrence): string {
  const info = index.analysis?.compilation.aggregations.get('@' + o.name) ?? index.analysis?.compilation.aggregations.get(o.name);
  const def = index.definitionOf(o.key);
  const what = info?.fn ? `Aggregation of \`${info.fn}()\`` : 'Aggregation';
  const keys = info?.keys && info.keys.length > 0 ? `, keyed by ${info.keys.map((k) => `\`${typeName(k)}\``).join(', ')}` : '';
  const origin = def?.role === 'write' ? `; ${where(index, def, 'first assigned')}` : '';
  return `${code(aggregationSignature(index.analysis, o.name))}\n\n${what}${keys}${origin}.`;
}

export function functionSignature(f: BuiltinFunction): string {
  return FUNCTION_DOCS[f.name]?.signature ?? `${f.name}${f.prototype.slice(f.prototype.indexOf('('))}`;
}

export function functionKindText(f: BuiltinFunction): string {
  const kind = f.kind === 'subroutine' ? 'Subroutine' : f.kind === 'action' ? 'Action' : 'Aggregating function (use as `@name[keys] = ' + f.name + '(...)`)';
  return f.destructive ? `${kind}, **destructive**: needs \`-w\` or \`#pragma D option destructive\`` : `${kind}, not destructive`;
}

export function describeFunction(name: string): string | undefined {
  const f = FUNCTIONS_BY_NAME.get(name);
  if (!f) return undefined;
  return `${code(functionSignature(f))}\n\n${functionKindText(f)}.\n\n${FUNCTION_DOCS[name]?.doc ?? f.doc}`;
}

export function describeBuiltinVariable(name: string): string | undefined {
  const b = BUILTINS.get(name);
  if (!b) return undefined;
  return `${code(`${b.type}${b.type.endsWith('*') ? '' : ' '}${name}`)}\n\nBuilt-in variable (read-only).\n\n${VARIABLE_DOCS[name] ?? b.doc}`;
}

/** `args[]`: the clause's argument types (the one subscripted, when the index is a number). */
export function describeArgs(index: SymbolIndex, clause: number, subscript?: number): string {
  const doc = VARIABLE_DOCS.args ?? BUILTIN_ARRAYS.get('args')!.doc;
  const probes = clauseProbes(index, clause);
  if (!probes || probes.length === 0) return `${code('args[]')}\n\nBuilt-in array.\n\n${doc}`;
  const p = probes[0]!;
  const arg = subscript !== undefined ? p.args[subscript] : undefined;
  if (arg) {
    const from = arg.translated ? ` (translated from \`${arg.native}\`)` : '';
    const of = probes.length === 1 ? `${p.provider}:${p.module}:${p.function}:${p.name}` : `${probes.length} probes`;
    return `${code(`${arg.translated ?? arg.native} args[${subscript}]`)}\n\nArgument ${subscript} of ${of}${from}.\n\n${doc}`;
  }
  const lines = p.args.map((a, i) => `args[${i}]: ${a.translated ?? a.native}`);
  const body = lines.length > 0 ? lines.join('\n') : 'args[]: (this probe has no typed arguments)';
  const of = probes.length === 1 ? `${p.provider}:${p.module}:${p.function}:${p.name}` : `${probes.length} probes`;
  return `${code(body)}\n\nBuilt-in array: the arguments of ${of}.\n\n${doc}`;
}

/** The probes a clause enables, from the analysis of this version (or the last that compiled). */
export function clauseProbes(index: SymbolIndex, clause: number): readonly { provider: string; module: string; function: string; name: string; args: readonly { native: string; translated?: string }[] }[] | undefined {
  const a = index.analysis;
  const c = index.clauses[clause];
  if (!a || !c) return undefined;
  const same = a.clauses.find((r) => r.clause === c);
  if (same) return same.probes;
  // An older analysis: the clause with the same descriptions.
  const text = c.descriptions.map((d) => d.text).join(',');
  return a.clauses.find((r) => r.clause.descriptions.map((d) => d.text).join(',') === text)?.probes;
}

export function describeMacro(index: SymbolIndex, name: string, operands: readonly string[]): string {
  const m = /^\$(\$?)(\d+)$/.exec(name);
  if (m) {
    const n = Number(m[2]);
    const asString = m[1] === '$';
    const value = n === 0 ? index.doc.uri : operands[n - 1];
    const what = n === 0 ? 'The script name.' : `Macro argument ${n}: the ${ordinal(n)} operand after the script on the command line${asString ? ', always substituted as a string' : ''}.`;
    const known = value !== undefined ? `\n\nValue: \`${value}\`` : n === 0 ? '' : '\n\nNo value given (set `dtrace.macroArguments`); without `defaultargs` DTrace rejects the script.';
    return `${code(name)}\n\n${what}${known}`;
  }
  const bare = name.replace(/^\$\$/, '$');
  const doc = MACRO_DOCS[bare];
  if (!doc) return `${code(name)}\n\nUnknown macro variable.`;
  return `${code(name)}\n\nMacro variable: ${doc}${name.startsWith('$$') ? ' Substituted as a string.' : ''} Its value is known only when dtrace runs.`;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${s}`;
}

export function describeInline(index: SymbolIndex, o: Occurrence): string {
  const info = index.analysis?.compilation.inlines.get(o.name);
  const def = index.definitionOf(o.key);
  let value = '…';
  if (info?.constant !== undefined) value = String(info.constant);
  else if (info && info.definitionFile === undefined) value = index.doc.text.slice(info.value.span.startIndex, info.value.span.endIndex);
  else if (info?.definitionFile) value = index.library.text(info.definitionFile)?.slice(info.value.span.startIndex, info.value.span.endIndex) ?? value;
  else if (def) {
    const item = index.doc.result.program.items.find((i) => i.k === 'inline' && i.span.startIndex <= def.start && def.end <= i.span.endIndex) as A.InlineDef | undefined;
    if (item) value = index.doc.text.slice(item.value.span.startIndex, item.value.span.endIndex);
  }
  const keys = info?.keys ? `[${info.keys.map(typeName).join(', ')}]` : '';
  const declared = info ? declaration(info.type, o.name) : `(type not yet known) ${o.name}`;
  const origin = info?.definitionFile ? `defined in ${basename(info.definitionFile)}` : def ? where(index, def, 'defined') : 'built in';
  return `${code(`inline ${declared}${keys} = ${value.replace(/\s+/g, ' ')};`)}\n\nInline (a named expression, substituted where used); ${origin}.`;
}

export function describeTypedef(index: SymbolIndex, name: string): string {
  const t = index.analysis?.compilation.types.typedefs.get(name);
  if (!t || t.kind !== 'typedef') return `${code(`typedef ${name}`)}\n\nType name.`;
  if (!index.analysis!.compilation.types.isDTypedef(name))
    return `${code(name)}\n\nKernel type: unknown (no kernel type information); its members cannot be checked.`;
  return `${code(`typedef ${typeName(t.target)} ${name};`)}${membersText(t.target)}`;
}

export function describeTag(index: SymbolIndex, name: string): string {
  const t = index.analysis?.compilation.types.tags.get(name);
  return `${code(name)}${t ? membersText(t) : ''}`;
}

/** `char name[16]` rather than `char [16] name`. */
export function declaration(t: CType, name: string): string {
  let dims = '';
  let base = t;
  while (base.kind === 'array') {
    dims += `[${base.length ?? ''}]`;
    base = base.of;
  }
  const type = typeName(base);
  return `${type}${type.endsWith('*') ? '' : ' '}${name}${dims}`;
}

function membersText(t: CType): string {
  const r = resolve(t);
  if (r.kind === 'enum') return r.enumerators ? '\n\n' + code([...r.enumerators].map(([n, v]) => `${n} = ${v}`).join('\n')) : '';
  if (r.kind !== 'struct' && r.kind !== 'union') return '';
  const s = r as StructType;
  if (!s.members) return '\n\nIncomplete type: its members are unknown.';
  const shown = s.members.slice(0, 24).map((m) => `\t${declaration(m.type, m.name)};`);
  if (s.members.length > 24) shown.push(`\t/* ${s.members.length - 24} more */`);
  return `\n\n${code(`${r.kind} ${s.tag ?? ''} {\n${shown.join('\n')}\n}`)}`;
}

export function describeEnumerator(index: SymbolIndex, name: string): string {
  const e = index.analysis?.compilation.enumerators.get(name);
  if (!e) return code(name);
  const origin = e.definitionFile ? `; defined in ${basename(e.definitionFile)}` : '';
  return `${code(`${typeName(e.type)} ${name} = ${e.value}`)}\n\nEnumerator${origin}.`;
}

export function describeMember(index: SymbolIndex, o: Occurrence): string | undefined {
  const c = index.doc.result.analysis?.compilation;
  if (!c || !o.expr || o.expr.k !== 'member') return undefined;
  const t = c.typed.get(o.expr)?.type;
  const base = c.typed.get(o.expr.base)?.type;
  if (!t) return undefined;
  let owner = '';
  if (base) {
    let r = resolve(base);
    if (r.kind === 'pointer') r = resolve(r.to);
    if (r.kind === 'struct' || r.kind === 'union') owner = `\n\nMember of \`${r.kind} ${r.tag ?? '(anon)'}\`.`;
  }
  return `${code(declaration(t, o.name))}${owner}`;
}

export function describeTranslator(index: SymbolIndex, key: string): string {
  const heads: string[] = [];
  for (const o of index.occurrencesOf(key)) {
    if (o.role !== 'definition' || !o.translator) continue;
    heads.push(header(index.doc.text, o.translator.span.startIndex));
  }
  for (const d of index.library.definitions.get(key) ?? []) {
    const text = index.library.text(d.file);
    const t = d.occurrence.translator;
    if (text && t) heads.push(`${header(text, t.span.startIndex)}  /* ${basename(d.file)} */`);
  }
  const name = key.slice('translator:'.length);
  if (heads.length === 0) return `${code(`xlate <${name}>`)}\n\nNo translator to \`${name}\` is defined.`;
  return `${code(heads.join('\n'))}\n\nTranslator${heads.length > 1 ? 's' : ''} to \`${name}\`.`;
}

function header(text: string, from: number): string {
  const brace = text.indexOf('{', from);
  return text.slice(from, brace < 0 ? from + 80 : brace).replace(/\s+/g, ' ').trim();
}

/** A probe description: which probes of the catalogue it matches and their argument types. */
export function describeDescription(d: A.ProbeDescAst, catalogue: ProbeCatalogue): string {
  const fields = d.text.split(':');
  while (fields.length < 4) fields.unshift('');
  const [provider, module, func, name] = fields as [string, string, string, string];
  let probes: Probe[];
  try {
    probes = catalogue.match({ provider, module, function: func, name });
  } catch {
    probes = [];
  }
  const head = `**${d.text}**`;
  if (probes.length === 0) {
    if (catalogue.mayHaveUnlisted?.({ provider, module, function: func, name }))
      return `${head} matches no probe the catalogue lists; \`${provider}\` is an open-world provider, so the running system may have such probes.`;
    const known = provider === '' || /[*?[]/.test(provider) || catalogue.providers().includes(provider);
    return `${head} matches no probe of the catalogue${known ? '' : ` (provider \`${provider}\` is unknown here)`}.`;
  }
  const shown = probes.slice(0, 8).map((p) => `- \`${p.provider}:${p.module}:${p.function}:${p.name}\` (id ${p.id})`);
  if (probes.length > 8) shown.push(`- … ${probes.length - 8} more`);
  const args = probes[0]!.args.map((a, i) => `args[${i}]: ${a.translated ?? a.native}${a.translated ? `  /* from ${a.native} */` : ''}`);
  const argText = args.length > 0 ? `\n\n${probes.length > 1 ? 'Arguments of the first:' : 'Arguments:'}\n${code(args.join('\n'))}` : '';
  return `${head} matches ${probes.length} probe${probes.length === 1 ? '' : 's'}:\n${shown.join('\n')}${argText}`;
}

/** An option of `#pragma D option`: class, value kind and units, default, description. */
export function describeOption(name: string): string | undefined {
  const spec = optionSpec(name);
  if (!spec) return undefined;
  const cls = spec.class === 'runtime' ? 'run-time option (fixed once tracing starts)' : spec.class === 'dynamic' ? 'dynamic option (may change while tracing, with `setopt()`)' : 'compile-time option';
  const value = spec.kind === 'enum' ? `${OPTION_UNITS.enum}: ${spec.words!.map((w) => `\`${w}\``).join(', ')}` : OPTION_UNITS[spec.kind] ?? spec.kind;
  const flag = spec.flag ? ` Same as \`${spec.flag}\`.` : '';
  const note = OPTION_NOTES[name] ? ` ${OPTION_NOTES[name]}` : '';
  return `${code(`#pragma D option ${name}${spec.kind === 'bool' || spec.kind === 'none' ? '' : '=…'}`)}\n\n${spec.description}${flag}${note}\n\n- ${cls}\n- value: ${value}\n- default: ${spec.defaultText}`;
}

