// The front end's entry point: analyzes a parsed D program (after the D library files) in
// DTrace's order. DTrace works in two passes, and so do we:
//  1. while it reads the text: control lines, macro substitution, declarations, inlines,
//     translators and probe descriptions, in text order (each at the point the parser acts);
//  2. once the text has been read: unused pragmas, unreferenced operands, an empty program,
//     then each clause: its actions before its predicate (unless the clause uses `if`, whose
//     desugaring checks the predicate first), predicate first when the actions fail on an
//     undefined name.
import type * as A from '../parse/ast';
import type { ClauseReuse } from './clauseReuse';
import { Compilation, type ClauseState, type CompilationSettings, type ProbeInfo, type ProbeMatcher } from './compilation';
import * as controlLineLexerModule from './controlLineLexer';
import { type ScannedControlLine } from './controlLineLexer';
import * as controlLinesModule from './controlLines';
import { LineTable, type ControlContext, type PendingPragma, type PragmaHost } from './controlLines';
import * as diagnosticsModule from './diagnostics';
import { Abandon, type Diagnostic } from './diagnostics';
import * as expressionsModule from './expressions';
import * as macrosModule from './macros';
import { MacroTable, type MacroSettings } from './macros';
import type { OptionSet } from './options/optionSet';
import * as statementsModule from './statements';
import * as declarationsModule from './types/declarations';
import * as clauseStructureModule from './clauseStructure';
import * as parseTimeModule from './parseTime';
import * as translatorsModule from './translators';
import * as ctypeModule from './types/ctype';
import { type CType } from './types/ctype';
import * as rulesModule from '../safety/rules';
import * as walkModule from '../safety/walk';
import * as ifDesugarModule from '../desugar/ifDesugar';
import * as stabilityModule from './catalogue/stability';
import { type ProviderAttributes, type Stability } from './catalogue/stability';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { scanControlLines } = controlLineLexerModule;
const { applyPendingPragmas, checkUnusedPragmas, hideLaterBindings, processControlLine } = controlLinesModule;
const { dtraceLine } = diagnosticsModule;
const { checkCodegen, cook } = expressionsModule;
const { checkMacroReference, descriptionOperands, expandDescriptionText } = macrosModule;
const { beginClauseActions, checkExpressionStatement, checkStatement, compileClauseActions, endClauseActions } = statementsModule;
const { checkDeclarationTokens, declarationTokensAt, declare, defineInline, defineProvider, statementStartAt } = declarationsModule;
const { clauseStructureError } = clauseStructureModule;
const { checkParseTime } = parseTimeModule;
const { defineTranslator } = translatorsModule;
const { dtIsScalar, isScalar, isString, typeName, resolve } = ctypeModule;
const { runSafetyRules } = rulesModule;
const { clauseExpressions } = walkModule;
const { hasIf } = ifDesugarModule;
const { STABILITIES } = stabilityModule;

export interface SourceUnit {
  program: A.Program;
  /** The unit's text: control lines are read from it. */
  source?: string;
  /** Shown in diagnostics for library files; undefined for the user's script. */
  file?: string;
}

export interface ClauseResult {
  clause: A.Clause;
  /** Read only: clauses of the same description share the list. */
  probes: readonly ProbeInfo[];
  /** One entry per description: the text after macro expansion. */
  descriptions: string[];
}

export interface AnalyzeInput {
  program: A.Program;
  /** The script's text (control lines are read from it; safety messages quote it). */
  source?: string;
  /** The control lines of `source`, when the caller has scanned them already. */
  sourceControls?: readonly ScannedControlLine[];
  libraries: SourceUnit[];
  settings: CompilationSettings;
  macros: MacroSettings;
  probes: ProbeMatcher;
  /** The probe with this id, for numeric probe descriptions. */
  probeById?(id: bigint): ProbeInfo | undefined;
  /** A provider's stability attributes (for args[] over several probes). */
  providerAttributes?(provider: string): ProviderAttributes | undefined;
  pragmas: PragmaHost;
  options: OptionSet;
  /** Parses `p:m:f:n` into fields (expanding macros), or returns DTrace's reason it is malformed. */
  parseDescription(text: string): { provider: string; module: string; function: string; name: string } | { error: string };
  /**
   * The editor: a description naming a provider the catalogue does not have is a warning (its
   * probes are unknown, not absent), not D_PDESC_ZERO.
   */
  lenientProviders?: boolean;
  knownProvider?(name: string): boolean;
  /**
   * The description names an open-world provider (fbt, pid, USDT): matching no probe we know
   * is no error, since the real system may have it; its args[] are then untyped.
   */
  openDescription?(desc: DescriptionFields): boolean;
  /** For the editor: why a description matches nothing, and what would ("did you mean"). */
  missDetail?(desc: DescriptionFields): string | undefined;
  /** Built-in variables whose type depends on the target system (`curthread`). */
  builtinTypes?: ReadonlyMap<string, string>;
  /** The target kernel's structure and typedef names (opaque where the library is silent). */
  kernelTypeNames?: { readonly tags: ReadonlySet<string>; readonly typedefs: ReadonlySet<string> };
  /** The program came from `-n`/`-P`...: clauses need neither predicate nor body. */
  commandLine?: boolean;
  /**
   * The text has a syntax error at this index: DTrace stops reading there, so only what it does
   * while reading the text before it runs.
   */
  stopAt?: number;
  /**
   * The compilation of the program before this one on the same command line (`-n a -n b`,
   * `-s x.d -n c`): DTrace compiles them all with one handle, so this program sees the
   * globals, thread-locals, aggregations, inlines and types the earlier ones defined, and the
   * D library files are not read again.
   */
  continueFrom?: Compilation;
  /**
   * The compilations of one document in an editor, each replacing the one before: the
   * compilation keeps node facts on the nodes (Compilation.lineage).
   */
  lineage?: object;
  /**
   * What the last compilation of the same document recorded of its clauses (the editor):
   * clauses it can vouch for are not checked again (clauseReuse.ts). `requestKey` says what
   * the compilation is asked besides the text (options, flavour, macro arguments ...).
   */
  clauseReuse?: { reuse: ClauseReuse; requestKey: string };
}

export interface Analysis {
  compilation: Compilation;
  clauses: ClauseResult[];
  /** Errors first in DTrace's order, then warnings. */
  diagnostics: Diagnostic[];
  /** Line numbers and file names as DTrace counts them (`#line` directives restart them). */
  lines: LineTable;
  /** The line and file name DTrace prints for a diagnostic of the script. */
  locate(d: Diagnostic): { line: number; file?: string };
}

/** What reading a clause's text produced: its descriptions, parsed. */
interface ReadClause {
  clause: A.Clause;
  descriptions: { text: string; probes: ProbeInfo[] | undefined; fields?: DescriptionFields }[];
  /** An error while reading it (DTrace would have stopped): it is not checked further. */
  failed: boolean;
  /** For reuse (clauseReuse.ts): how many other items and control lines come before it. */
  itemsBefore: number;
  /** Its reading was the last compilation's, replayed (its parse-time checks not run again). */
  replayed: boolean;
  /** Reading it reported something, or may differ another time: not recorded for reuse. */
  unrepeatable: boolean;
}

type DescriptionFields = { provider: string; module: string; function: string; name: string };

export function analyze(input: AnalyzeInput): Analysis {
  const c = input.continueFrom ?? new Compilation(input.settings, input.probes);
  if (input.continueFrom) {
    c.settings = input.settings;
    c.probes = input.probes;
    c.clause = undefined;
    c.diagnostics.length = 0;
    // Each compilation has its own clause-locals (dt_compile creates pcb_locals).
    c.clauseLocals.retireAll();
  }
  c.lineage = input.lineage;
  if (input.builtinTypes) c.types.builtinVariableTypes = input.builtinTypes;
  if (input.kernelTypeNames) c.types.kernelTypeNames = input.kernelTypeNames;
  // `#pragma D option defaultargs` applies to the macros read after it.
  c.macros = new MacroTable({ ...input.macros, get defaultargs() { return c.settings.defaultargs; } });
  if (!input.continueFrom) {
    for (const lib of input.libraries) {
      c.file = lib.file;
      readUnit(c, input, lib.program, lib.source, true);
    }
  }
  c.file = undefined;
  const version = input.options.text('version');
  if (version !== undefined) hideLaterBindings(c, version);
  // Library problems are ours, not the user's: keep them but never let them block the script.
  const libraryDiagnostics = c.diagnostics.splice(0).map((d) => ({ ...d, severity: 'warning' as const }));
  // What the last compilation of the document recorded (the editor): not when a syntax error stops this one.
  const reuse = input.stopAt === undefined ? input.clauseReuse?.reuse : undefined;
  if (input.stopAt !== undefined) input.clauseReuse?.reuse.forget();
  const reading = readUnit(c, input, input.program, input.source, false, reuse);
  const whileReading = new Set(c.diagnostics);
  const clauses: ClauseResult[] = [];
  if (input.stopAt === undefined) {
    afterReading(c, input, reading);
    for (const item of input.program.items) if (item.k === 'clause') checkClause(c, reading.clauses.get(item)!, input, clauses, reading.lastRow + 1, reuse);
    reuse?.end(c);
    runSafetyRules(c, input.program, clauses, input.source);
  }
  const errors = c.diagnostics.filter((d) => d.severity === 'error');
  const others = c.diagnostics.filter((d) => d.severity !== 'error');
  const lines = reading.lines;
  const locate = (d: Diagnostic): { line: number; file?: string } => {
    if (d.file !== undefined) return { line: dtraceLine(d), file: d.file };
    const at = lines.at(dtraceLine(d) - 1);
    // Checks made once the text has been read name the file in effect at its end.
    const file = whileReading.has(d) ? at.file : lines.finalFile;
    return file === undefined ? { line: at.line } : { line: at.line, file };
  };
  return { compilation: c, clauses, diagnostics: [...errors, ...others, ...libraryDiagnostics], lines, locate };
}

interface Reading {
  clauses: Map<A.Clause, ReadClause>;
  /** The unit's control lines. */
  controls: readonly ScannedControlLine[];
  lines: LineTable;
  pending: PendingPragma[];
  /** Rows in the text (the row of its end). */
  lastRow: number;
}

/**
 * One event of reading the text: where DTrace's lexer or parser is when it happens, and what
 * happens (data, not a closure: a script has thousands of events).
 */
interface ReadEvent {
  index: number;
  kind: ReadEventKind;
  /** The control line, top-level item, description or expression the event is about. */
  node: unknown;
  /** The clause whose reading the event is part of. */
  read: ReadClause | undefined;
}

const enum ReadEventKind {
  ControlLine,
  Declaration,
  Inline,
  Translator,
  Provider,
  Description,
  MissingBody,
  SplitDescription,
  MacroReference,
  ParseTime,
  Rejected,
}

function readEvent(index: number, kind: ReadEventKind, node: unknown, read?: ReadClause): ReadEvent {
  return { index, kind, node, read };
}

/** Pass 1: everything DTrace does while it reads a unit's text, in text order. */
function readUnit(c: Compilation, input: AnalyzeInput, program: A.Program, source: string | undefined, library: boolean, reuse?: ClauseReuse): Reading {
  c.unit++;
  const lines = new LineTable();
  const pending: PendingPragma[] = [];
  const ctx: ControlContext = { host: input.pragmas, options: input.options, lines, pending, library };
  const clauses = new Map<A.Clause, ReadClause>();
  const events: ReadEvent[] = [];
  const controls: readonly ScannedControlLine[] =
    source === undefined ? [] : !library && input.sourceControls !== undefined && source === input.source ? input.sourceControls : scanControlLines(source);
  for (const line of controls) events.push(readEvent(line.span.startIndex, ReadEventKind.ControlLine, line));
  if (reuse) reuse.begin(readKey(input, program, source ?? '', controls, input.clauseReuse!.requestKey), source ?? '');
  // How many other items and control lines come before each clause (see readKey).
  let itemsBefore = 0;
  let control = 0;
  for (const item of program.items) {
    if (item.k !== 'clause') itemsBefore++;
    else if (reuse) {
      while (control < controls.length && controls[control]!.span.startIndex < item.span.startIndex) control++;
      const inside = control < controls.length && controls[control]!.span.startIndex < item.span.endIndex;
      if (!inside && reuse.readingReplayable(item, itemsBefore + control)) {
        replayedClause(item, clauses, events, itemsBefore + control);
        continue;
      }
      readClause(input, item, clauses, events, itemsBefore + control);
      // A control line inside the clause: its reading is not the clause's alone.
      if (inside) clauses.get(item)!.unrepeatable = true;
      continue;
    }
    switch (item.k) {
      case 'declaration':
        events.push(readEvent(item.span.endIndex, ReadEventKind.Declaration, item));
        break;
      case 'inline':
        events.push(readEvent(item.span.endIndex, ReadEventKind.Inline, item));
        break;
      case 'translator':
        events.push(readEvent(item.span.endIndex, ReadEventKind.Translator, item));
        break;
      case 'provider':
        events.push(readEvent(item.span.endIndex, ReadEventKind.Provider, item));
        break;
      case 'clause':
        readClause(input, item, clauses, events, 0);
        break;
    }
  }
  // A declaration the parser rejected is still read specifier by specifier before DTrace's
  // parser gives up on it.
  if (input.stopAt !== undefined && !library && source !== undefined) rejectedStatement(c, input, source, input.stopAt, events);
  events.sort((a, b) => a.index - b.index);
  const unit: UnitContext = { input, source, ctx };
  for (const e of events) {
    if (input.stopAt !== undefined && !library && e.index > input.stopAt) break;
    const mark = c.diagnostics.length;
    try {
      runEvent(c, unit, e);
      applyPendingPragmas(c, pending);
    } catch (err) {
      if (!(err instanceof Abandon)) throw err;
    } finally {
      if (e.read !== undefined && c.diagnostics.length > mark) e.read.unrepeatable = true;
    }
  }
  // What reading each clause did, for the next compilation (clean clauses only: no diagnostics to replay).
  if (reuse) for (const read of clauses.values()) if (!read.replayed && !read.failed && !read.unrepeatable) reuse.recordReading(c, read.clause, read.itemsBefore);
  const end = source ?? '';
  let lastRow = 0;
  for (let i = end.indexOf('\n'); i >= 0; i = end.indexOf('\n', i + 1)) lastRow++;
  return { clauses, controls, lines, pending, lastRow: source === undefined ? program.span.end.row : lastRow };
}

interface UnitContext {
  input: AnalyzeInput;
  source: string | undefined;
  ctx: ControlContext;
}

function runEvent(c: Compilation, unit: UnitContext, e: ReadEvent): void {
  switch (e.kind) {
    case ReadEventKind.ControlLine:
      return processControlLine(c, e.node as ScannedControlLine, unit.ctx);
    case ReadEventKind.Declaration:
      return declare(c, e.node as A.Declaration, { source: unit.source });
    case ReadEventKind.Inline:
      return defineInline(c, e.node as A.InlineDef, { source: unit.source });
    case ReadEventKind.Translator:
      return defineTranslator(c, e.node as A.TranslatorDef);
    case ReadEventKind.Provider:
      return defineProvider(c, e.node as A.ProviderDef);
    case ReadEventKind.Rejected:
      return (e.node as () => void)();
  }
  // An error while reading a clause: DTrace would have stopped, the clause is not checked.
  const read = e.read!;
  try {
    readClauseEvent(c, unit.input, read, e);
  } catch (err) {
    read.failed = true;
    throw err;
  }
}

function readClauseEvent(c: Compilation, input: AnalyzeInput, read: ReadClause, e: ReadEvent): void {
  switch (e.kind) {
    case ReadEventKind.Description:
      read.descriptions.push(readDescription(c, input, e.node as A.ProbeDescAst));
      return;
    case ReadEventKind.MissingBody: {
      const clause = read.clause;
      const p = clause.predicate;
      if (p) c.error('D_SYNTAX', p.span, 'expected actions { } following probe description and predicate', undefined, p.span.end.row + 1);
      c.error('D_SYNTAX', clause.descriptions[0]?.span ?? clause.span, 'expected predicate and/or actions following probe description');
      return;
    }
    case ReadEventKind.SplitDescription:
      // The descriptions read so far are a clause without predicate or body.
      c.error('D_SYNTAX', read.clause.descriptions[0]!.span, 'expected predicate and/or actions following probe description');
      return;
    case ReadEventKind.MacroReference:
      checkMacroReference(c, e.node as A.MacroVar);
      return;
    case ReadEventKind.ParseTime:
      checkParseTime(c, e.node as A.Expr);
      return;
  }
}

/**
 * The statement our parser rejected, read the way DTrace reads it: a declaration specifier by
 * specifier, a clause by its descriptions, predicate and body, so that the error DTrace finds
 * there (often not a plain syntax error) is the one reported.
 */
function rejectedStatement(c: Compilation, input: AnalyzeInput, source: string, stopAt: number, events: ReadEvent[]): void {
  const declaration = declarationTokensAt(c, source, stopAt);
  if (declaration) {
    events.push(readEvent(declaration[0]!.span.startIndex, ReadEventKind.Rejected, () => checkDeclarationTokens(c, declaration)));
    return;
  }
  const start = statementStartAt(source, stopAt);
  if (start === undefined) return;
  events.push(
    readEvent(start, ReadEventKind.Rejected, () => {
      const problem = clauseStructureError(source, start, (d) => {
        if (/^[0-9]/.test(d.text)) return;
        const parsed = input.parseDescription(d.text);
        if ('error' in parsed) c.error('D_PDESC_INVAL', spanAt(source, d.index, d.text.length), parsed.error, undefined, d.row + 1);
      });
      // Only a file must give a description a predicate or body (`dtrace -n BEGIN` is fine).
      if (problem && (!input.commandLine || !problem.message.startsWith('expected')))
        c.error(problem.tag, spanAt(source, problem.index, 1), problem.message, undefined, problem.row + 1);
    }),
  );
}

function spanAt(source: string, index: number, length: number): A.Span {
  const before = source.slice(0, index);
  const row = (before.match(/\n/g) ?? []).length;
  const column = index - (before.lastIndexOf('\n') + 1);
  return { start: { row, column }, end: { row, column: column + length }, startIndex: index, endIndex: index + length };
}

/**
 * A clause read the last time without a word (clauseReuse.ts): only its descriptions are read
 * again (the probes they match are this compilation's); its parse-time checks found nothing
 * then and find nothing now, and the facts they leave are the record's (put back when the
 * clause is checked or replayed).
 */
function replayedClause(clause: A.Clause, clauses: Map<A.Clause, ReadClause>, events: ReadEvent[], itemsBefore: number): void {
  const read: ReadClause = { clause, descriptions: [], failed: false, itemsBefore, replayed: true, unrepeatable: false };
  clauses.set(clause, read);
  for (const d of clause.descriptions) events.push(readEvent(d.span.endIndex, ReadEventKind.Description, d, read));
}

/** A clause's descriptions are parsed, and its macros substituted, as DTrace reads them. */
function readClause(input: AnalyzeInput, clause: A.Clause, clauses: Map<A.Clause, ReadClause>, events: ReadEvent[], itemsBefore: number): void {
  const read: ReadClause = { clause, descriptions: [], failed: false, itemsBefore, replayed: false, unrepeatable: false };
  clauses.set(clause, read);
  for (const d of clause.descriptions) {
    // Macro operands in a description are counted as referenced: not replayed.
    if (d.text.includes('$')) read.unrepeatable = true;
    // A description is one token to DTrace's lexer: a blank inside (`dtrace::: BEGIN`) ends it,
    // and the rest starts another clause, so in a file the part before has no body.
    const blank = d.id === undefined && !input.commandLine ? d.text.search(/\s/) : -1;
    if (blank > 0) events.push(readEvent(d.span.startIndex + blank, ReadEventKind.SplitDescription, d, read));
    events.push(readEvent(d.span.endIndex, ReadEventKind.Description, d, read));
  }
  // In a file a description needs a predicate or a body, and a predicate a body: the grammar
  // reports it on the description's line, or on the predicate's.
  if (!input.commandLine && !clause.body) events.push(readEvent(clause.span.endIndex, ReadEventKind.MissingBody, clause, read));
  // In the order of the expressions: a macro's reference, then, for a whole expression, its
  // constant folding (and its errors), which happen as the parser builds it.
  const { exprs, wholes, macros } = clauseExpressions(clause);
  if (macros.length > 0) read.unrepeatable = true;
  let m = 0;
  for (const w of wholes) {
    for (; m < macros.length && macros[m]! <= w; m++) events.push(readEvent(exprs[macros[m]!]!.span.startIndex, ReadEventKind.MacroReference, exprs[macros[m]!], read));
    const e = exprs[w]!;
    events.push(readEvent(e.span.endIndex, ReadEventKind.ParseTime, e, read));
  }
  for (; m < macros.length; m++) events.push(readEvent(exprs[macros[m]!]!.span.startIndex, ReadEventKind.MacroReference, exprs[macros[m]!], read));
}

function readDescription(c: Compilation, input: AnalyzeInput, d: A.ProbeDescAst): ReadClause['descriptions'][number] {
  if (d.id !== undefined) {
    const id = BigInt(d.text);
    if (id > 0xffffffffn) c.error('D_PDESC_INVAL', d.span, `identifier ${id} exceeds maximum probe id`);
    const probe = input.probeById?.(id);
    if (!probe) c.error('D_PDESC_INVAL', d.span, `invalid probe identifier ${id}: Unknown probe identifier`);
    return { text: d.text, probes: [probe] };
  }
  const known = knownDescription(c, input, d.text);
  for (const n of known.operands) c.macros?.referenced.add(n);
  const desc = known.fields;
  if ('error' in desc) c.error('D_PDESC_INVAL', d.span, desc.error);
  const settings = input.macros;
  known.expanded ??= expandDescriptionText(d.text, [settings.program, ...settings.operands], settings.process);
  return { text: known.expanded, probes: undefined, fields: desc };
}

/** What reading a description's text finds, which depends on the text only. */
interface KnownDescription {
  operands: number[];
  fields: ReturnType<AnalyzeInput['parseDescription']>;
  expanded: string | undefined;
}

/** Descriptions read so far, by text: many clauses share one (`tick-1s`, `syscall:::entry`). */
const knownDescriptions = new WeakMap<Compilation, Map<string, KnownDescription>>();

function knownDescription(c: Compilation, input: AnalyzeInput, text: string): KnownDescription {
  let known = knownDescriptions.get(c);
  if (!known) knownDescriptions.set(c, (known = new Map()));
  let d = known.get(text);
  if (!d) {
    d = { operands: descriptionOperands(text), fields: input.parseDescription(text), expanded: undefined };
    known.set(text, d);
  }
  return d;
}

/** Probes matched so far, by description: many clauses share one. */
const matchedProbes = new WeakMap<Compilation, Map<string, ProbeInfo[]>>();

function matchProbes(c: Compilation, input: AnalyzeInput, desc: DescriptionFields): ProbeInfo[] {
  let matched = matchedProbes.get(c);
  if (!matched) matchedProbes.set(c, (matched = new Map()));
  const key = `${desc.provider}\0${desc.module}\0${desc.function}\0${desc.name}`;
  let probes = matched.get(key);
  if (!probes) {
    probes = input.probes.match(desc);
    matched.set(key, probes);
  }
  return probes;
}

/** DTrace's checks once the whole text has been read, before any clause is checked. */
function afterReading(c: Compilation, input: AnalyzeInput, reading: Reading): void {
  if (c.diagnostics.some((d) => d.severity === 'error')) return;
  const endLine = reading.lastRow + 1;
  const ok =
    c.attempt(() => checkUnusedPragmas(c, reading.pending)) &&
    c.attempt(() => {
      // Only the last operand has to be referenced.
      const last = input.macros.operands.length;
      if (last === 0 || input.settings.argref || c.settings.argref || c.macros?.referenced.has(last)) return;
      c.error('D_MACRO_UNUSED', input.program.span, `extraneous argument '${input.macros.operands[last - 1]}' ($${last} is not referenced)`, undefined, endLine);
    });
  // Declarations make no program: it needs a clause, an inline, a translator or a provider.
  if (ok && !input.program.items.some((i) => i.k === 'clause' || i.k === 'inline' || i.k === 'translator' || i.k === 'provider'))
    c.attempt(() => c.error('D_EMPTY', input.program.span, 'empty D program translation unit', undefined, endLine));
}

/**
 * What reading the text left that checking a clause may look at, as a string: the request,
 * the settings, and the text of every top-level item but the clauses and of every control
 * line, in order. Clause records hold while it is the same. Where these items are is not in
 * it: a clause's check compares positions only to know what was declared before it (parseTime's
 * definedBefore), which the number of them before the clause says (part of its record's key);
 * a diagnostic naming a place outside its clause makes a clause unrecorded.
 */
function readKey(input: AnalyzeInput, program: A.Program, source: string, controls: readonly ScannedControlLine[], requestKey: string): string {
  const parts = [requestKey, JSON.stringify(input.settings), String(input.commandLine === true)];
  for (const item of program.items) if (item.k !== 'clause') parts.push(`${item.k}@${item.span.start.column}:${source.slice(item.span.startIndex, item.span.endIndex)}`);
  for (const line of controls) parts.push(`#${line.text}`);
  return parts.join('\n');
}

function checkClause(c: Compilation, read: ReadClause, input: AnalyzeInput, clauses: ClauseResult[], endLine: number, reuse: ClauseReuse | undefined): void {
  if (read.failed) return;
  const clause = read.clause;
  const descriptions = read.descriptions.map(descriptionTextOf);
  let matched: MatchedProbes;
  try {
    matched = matchDescriptions(c, read, input);
  } catch (e) {
    if (e instanceof Abandon) return;
    throw e;
  }
  const probes = matched.probes;
  const state: ClauseState = {
    index: clauses.length,
    probes,
    description: descriptionText(descriptions[0] ?? ''),
    argTypes: undefined,
    speculated: false,
    committed: false,
    recordedData: false,
  };
  argTypesFor(c, state, matched.first, read.descriptions[0]?.fields, input);
  c.clause = state;
  clauses.push({ clause, probes, descriptions });
  try {
    if (reuse) reuse.checkClause(c, clause, state, endLine, read.itemsBefore, read.replayed, () => checkClauseBody(c, clause, state, endLine));
    else checkClauseBody(c, clause, state, endLine);
  } finally {
    c.clause = undefined;
  }
}

const descriptionTextOf = (d: ReadClause['descriptions'][number]): string => d.text;

interface MatchedProbes {
  /** The probes of all the clause's descriptions (a description's own list when it has one). */
  probes: readonly ProbeInfo[];
  /** Those of its first description. */
  first: ProbeInfo[];
}

/** The probes each description matches; no probe at all is an error (unless -Z). */
function matchDescriptions(c: Compilation, read: ReadClause, input: AnalyzeInput): MatchedProbes {
  // Each description's list, joined only when there are several: a glob may match thousands of
  // probes, and the lists of a compilation are shared by the clauses of the same description.
  const lists: ProbeInfo[][] = [];
  let first: ProbeInfo[] = [];
  for (let i = 0; i < read.descriptions.length; i++) {
    const d = read.descriptions[i]!;
    if (d.probes) {
      if (i === 0) first = d.probes;
      lists.push(d.probes);
      continue;
    }
    const desc = d.fields!;
    const span = read.clause.descriptions[i]!.span;
    const matched = matchProbes(c, input, desc);
    if (matched.length === 0 && !c.settings.zdefs && input.openDescription?.(desc)) continue;
    if (matched.length === 0 && !c.settings.zdefs && input.lenientProviders && !input.knownProvider?.(desc.provider)) {
      const d = c.record(
        'warning',
        'D_PDESC_ZERO',
        span,
        `probe description ${desc.provider}:${desc.module}:${desc.function}:${desc.name} does not match any probes: provider ${desc.provider || '(any)'} is not in the probe catalogue, so its probes and argument types are unknown here`,
      );
      const detail = input.missDetail?.(desc);
      if (detail !== undefined) d.detail = detail;
      continue;
    }
    if (matched.length === 0 && !c.settings.zdefs) {
      const d = c.record('error', 'D_PDESC_ZERO', span, `probe description ${desc.provider}:${desc.module}:${desc.function}:${desc.name} does not match any probes`);
      const detail = input.missDetail?.(desc);
      if (detail !== undefined) d.detail = detail;
      throw new Abandon(d);
    }
    if (i === 0) first = matched;
    lists.push(matched);
  }
  return { probes: lists.length === 1 ? lists[0]! : lists.flat(), first };
}

/**
 * The actions, then the predicate. When the actions fail on an undefined name and there is a
 * predicate, DTrace starts again predicate first: the predicate may create the variable.
 */
function checkClauseBody(c: Compilation, clause: A.Clause, state: ClauseState, endLine: number): void {
  beginClauseActions(c, clause);
  try {
    checkClauseSteps(c, clause, state, endLine);
  } finally {
    // The actions' code is generated once the whole clause, predicate included, is checked.
    endClauseActions(c);
  }
}

function checkClauseSteps(c: Compilation, clause: A.Clause, state: ClauseState, endLine: number): void {
  const sugared = clause.body !== undefined && clause.body.some(hasIf);
  if (sugared) {
    checkPredicate(c, clause, true, endLine);
    checkActions(c, clause, state);
    return;
  }
  const mark = c.diagnostics.length;
  checkActions(c, clause, state);
  const first = c.diagnostics.slice(mark).find((d) => d.severity === 'error');
  if (clause.predicate && first && (first.code === 'D_IDENT_UNDEF' || first.code === 'D_VAR_UNDEF')) {
    c.diagnostics.splice(mark);
    // Start over: what the first attempt cooked is not generated.
    beginClauseActions(c, clause);
    resetOrdering(c, state);
    checkPredicate(c, clause, false, endLine);
    checkActions(c, clause, state);
    return;
  }
  checkPredicate(c, clause, false, endLine);
}

/**
 * DTrace raises D_PRED_SCALAR with the lexer's line, which after the whole text has been read
 * is the last line of the file.
 */
function checkPredicate(c: Compilation, clause: A.Clause, sugared: boolean, endLine: number): void {
  const p = clause.predicate;
  if (!p) return;
  try {
    // An operator's error is reported on the line of the token after it: the body's `{`.
    const line = clause.bodySpan ? clause.bodySpan.start.row + 1 : undefined;
    const t = cook(c, p, line !== undefined ? { codegen: false, line } : { codegen: false }).type;
    if (!dtIsScalar(t)) {
      if (sugared) c.error('D_OP_SCALAR', p.span, `the predicate must be scalar, but it is ${article(t)}`);
      c.error('D_PRED_SCALAR', p.span, 'predicate result must be of scalar type', undefined, endLine);
    }
    checkCodegen(c, p);
  } catch (e) {
    if (!(e instanceof Abandon)) throw e;
  }
}

/** Each run of statements between `if`s becomes a clause of its own: ordering rules restart. */
function resetOrdering(c: Compilation, state: ClauseState): void {
  // Each clause an `if` makes is generated before the next one is checked.
  compileClauseActions(c);
  state.speculated = false;
  state.committed = false;
  state.recordedData = false;
}

function checkActions(c: Compilation, clause: A.Clause, state: ClauseState): void {
  const ifs = new IfStatements(c, state);
  for (const s of clause.body ?? []) checkStatement(c, s, ifs);
}

/** What checking an `if` of a clause body does (checkStatement calls it for each). */
class IfStatements {
  constructor(
    private readonly c: Compilation,
    private readonly state: ClauseState,
  ) {}

  onIf(s: Extract<A.Stmt, { k: 'if' }>): void {
    const c = this.c;
    resetOrdering(c, this.state);
    try {
      const t = cook(c, s.test).type;
      if (!isScalar(t))
        c.error('D_OP_SCALAR', s.test.span, `condition of this \`if\` must be scalar, but it is ${article(t)}`, [
          { span: s.span, message: 'desugared from this `if`: DTrace rewrites it into clauses predicated on the condition' },
        ]);
    } catch (e) {
      if (!(e instanceof Abandon)) throw e;
    }
    checkStatement(c, s.then, this);
    resetOrdering(c, this.state);
    if (s.else) checkStatement(c, s.else, this);
    resetOrdering(c, this.state);
  }
}

/** A description as DTrace prints it: always four fields (the given ones are the last). */
function descriptionText(text: string): string {
  let colons = 0;
  for (let i = text.indexOf(':'); i >= 0 && colons < 3; i = text.indexOf(':', i + 1)) colons++;
  return colons >= 3 ? text : ':'.repeat(3 - colons) + text;
}

function article(t: CType): string {
  const r = resolve(t);
  if (isString(t)) return 'a string';
  if (r.kind === 'struct' || r.kind === 'union') return `a ${typeName(t)} (a ${r.kind}, not a scalar)`;
  if (r.kind === 'void') return 'void';
  return `of type ${typeName(t)}`;
}

/**
 * args[] types: those of a representative probe of the clause's first description (the one
 * DTrace compiles the clause for). Several matching probes are trusted to agree only when the
 * provider promises Evolving argument data and no field of Evolving name stability is empty
 * or a glob; otherwise, or with no probe at all (under -Z), args[] may not be used.
 */
function argTypesFor(c: Compilation, state: ClauseState, matched: ProbeInfo[], fields: DescriptionFields | undefined, input: AnalyzeInput): void {
  const representative = matched[0];
  if (!representative) {
    if (input.lenientProviders || (fields !== undefined && input.openDescription?.(fields))) state.argTypes = [];
    else markUnstable(state);
    return;
  }
  // An open-world probe we know no prototype for: any args[N], untyped.
  if (representative.untypedArgs) {
    state.argTypes = [];
    state.untypedArgs = true;
    return;
  }
  if (matched.length > 1 && fields) {
    const attrs = isGlob(fields.provider) || fields.provider === '' ? undefined : input.providerAttributes?.(fields.provider);
    if (!evolving(attrs?.args.data) || FIELDS.some((f) => evolving(attrs?.[f].name) && (fields[f] === '' || isGlob(fields[f])))) {
      markUnstable(state);
      return;
    }
  }
  state.argTypes = representative.args.map((a) => c.types.parse(a.translated ?? a.native));
}

function markUnstable(state: ClauseState): void {
  state.argsProblem = {
    tag: 'D_ARGS_MULTI',
    message: `args[ ] may not be referenced because probe description ${state.description} matches an unstable set of probes`,
  };
}

function evolving(s: Stability | undefined): boolean {
  return s !== undefined && STABILITIES.indexOf(s) >= STABILITIES.indexOf('Evolving');
}

const FIELDS = ['provider', 'module', 'function', 'name'] as const;

const isGlob = (field: string): boolean => /[*?[\\]/.test(field);

export { checkExpressionStatement };
