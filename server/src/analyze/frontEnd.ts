// One call from D text to a checked program, for every face (command line, language server,
// debugger): parse, build the AST, load the D library files, analyze. The faces only format.
import type { Parser, Tree } from 'web-tree-sitter';
import type * as A from '../parse/ast';
import type { DesugaredClause } from '../desugar/ifDesugar';
import { buildAst } from '../parse/buildAst';
import { forgetMovedItems, NestingTooDeep, plainTree, type PNode } from '../parse/plainTree';
import { findSyntaxErrors, type SyntaxError } from '../parse/syntaxErrors';
import { findLexicalError, mendBrokenLiteral, type LexicalError } from '../parse/lexicalErrors';
import {
  createStandardCatalogue,
  descriptionString,
  fbtProvider,
  isProbeDescriptionError,
  openKernelProvider,
  parseProbeDescription,
  processProviderFamily,
  suggestDescription,
  type ComposedCatalogue,
  type ProbeCatalogue,
  type ProbeDescription,
  type ProviderDefinition,
} from './catalogue';
import { chooseFlavour } from './flavour/choose';
import { flavourData } from './flavour/flavourData';
import { DEFAULT_FLAVOUR, FLAVOUR_LABELS, FLAVOUR_TRAITS, type Flavour, type FlavourChoice } from './flavour/flavours';
import { closedProviderNames, flavoursWithProvider } from './flavour/knowledge';
import { kernelTypeNames } from './flavour/kernelTypes';
import type { Compilation, ProbeMatcher } from './compilation';
import type { Diagnostic } from './diagnostics';
import { analyze, type Analysis, type AnalyzeInput, type SourceUnit } from './program';
import { forkLibraries, librarySnapshot, restoreIncomplete } from './librarySnapshot';
import { OptionSet } from './options/optionSet';
import { processMacros } from './macros';
import { blankControlLines, scanControlLines, type ScannedControlLine } from './controlLineLexer';
import type { LineTable } from './controlLines';
import type { IncrementalState } from './incremental';

export interface FrontEndRequest {
  text: string;
  /** `$0`: the script path as given, or the program text for `-n`. */
  programName: string;
  options: OptionSet;
  operands?: string[];
  /** `-n`/`-P`... programs: no line numbers, bare descriptions allowed. */
  commandLine?: boolean;
  providers?: ProviderDefinition[];
  /** Accept `for` loops with constant bounds up to this many iterations (our extension). */
  boundedLoops?: number;
  /** Do not load the D library files (tests of the bare compiler). */
  noLibraries?: boolean;
  /** The editor's leniency for providers the catalogue does not know (see AnalyzeInput). */
  lenientProviders?: boolean;
  /** The target system; 'auto' (or nothing) decides from the script (flavour/choose.ts). */
  flavour?: 'auto' | Flavour;
  /** The process `-p PID` grabbed: the value of `$target`. */
  target?: number;
  /**
   * The analysis of the program before this one on the same command line: DTrace compiles
   * them with one handle, so identifiers defined there are known here (AnalyzeInput).
   */
  continueFrom?: Analysis;
  /**
   * A syntax tree of `text` with its control lines blanked (the language server keeps one up to
   * date incrementally): used instead of parsing again, and left to its owner (not deleted).
   */
  tree?: Tree;
  /**
   * The state of the compilations of this document so far (the language server keeps one per
   * document): what an edit cannot have changed is reused from them, and the result is the
   * same as without.
   */
  incremental?: IncrementalState;
  /**
   * Start from the D libraries as read once per flavour and options (default), instead of
   * reading them again: they are the same for every script. Tests of the snapshot turn it off
   * to compare with a compilation that reads them.
   */
  reuseLibraries?: boolean;
}

export interface FrontEndResult {
  program: A.Program;
  syntaxErrors: SyntaxError[];
  /** The error DTrace reports first when the text does not lex or parse (lexical or syntax). */
  firstError: { tag: string; message: string; row: number; index: number } | undefined;
  /** Undefined when syntax errors stopped the compilation (DTrace stops at the first). */
  analysis: Analysis | undefined;
  /** Line numbers as DTrace counts them, up to where it stopped reading (`#line`). */
  lines: LineTable;
  catalogue: ProbeCatalogue;
  /** The system the script was compiled for, and why that one. */
  flavour: FlavourChoice;
}

interface LoadedLibrary {
  file: string;
  program: A.Program;
  source: string;
  dependsOn: string[];
}

const libraryCache = new Map<Flavour, LoadedLibrary[]>();

/**
 * A flavour's D library files (the common ones and its own) in dependency order (`#pragma D
 * depends_on library x.d`, across both folders), parsed once per flavour.
 */
export function loadLibraries(parser: Parser, flavour: Flavour = DEFAULT_FLAVOUR): LoadedLibrary[] {
  const cached = libraryCache.get(flavour);
  if (cached) return cached;
  const loaded = new Map<string, LoadedLibrary>();
  for (const f of flavourData(flavour).libraries) {
    const parsed = blankControlLines(f.text, scanControlLines(f.text));
    const tree = parser.parse(parsed);
    if (!tree) continue;
    const program = buildAst(plainTree(tree, parsed), parsed);
    tree.delete();
    const dependsOn = [...f.text.matchAll(/^\s*#\s*pragma\s+D\s+depends_on\s+library\s+(\S+)/gm)].map((m) => m[1]!);
    // A flavour's file of the same name as a common one replaces it.
    loaded.set(f.name, { file: f.file, program, source: f.text, dependsOn });
  }
  const ordered: LoadedLibrary[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    const lib = loaded.get(name);
    if (!lib || state.get(name)) return;
    state.set(name, 'visiting');
    lib.dependsOn.forEach(visit);
    state.set(name, 'done');
    ordered.push(lib);
  };
  [...loaded.keys()].forEach(visit);
  libraryCache.set(flavour, ordered);
  return ordered;
}

/**
 * The probe catalogue of a flavour: dtrace and profile, the providers of `extra` (a provider
 * file given by the user replaces the flavour's provider of that name), the flavour's closed
 * providers, then its open-world ones (fbt with the typed kernel functions, sdt/kinst) and the
 * process providers created on demand (pid<N>, USDT name<N>).
 */
export function flavourCatalogue(flavour: Flavour, extra: readonly ProviderDefinition[] = []): ComposedCatalogue {
  if (extra.length > 0) return buildFlavourCatalogue(flavour, extra);
  let base = catalogueCache.get(flavour);
  if (!base) catalogueCache.set(flavour, (base = buildFlavourCatalogue(flavour, [])));
  return base.fork();
}

/** Each flavour's catalogue as its data lists it: every compilation gets a fork of it. */
const catalogueCache = new Map<Flavour, ComposedCatalogue>();

function buildFlavourCatalogue(flavour: Flavour, extra: readonly ProviderDefinition[]): ComposedCatalogue {
  const data = flavourData(flavour);
  const traits = FLAVOUR_TRAITS[flavour];
  const taken = new Set(extra.map((p) => p.name));
  const providers: ProviderDefinition[] = [...extra];
  for (const p of data.providers) {
    if (taken.has(p.name)) continue;
    taken.add(p.name);
    providers.push(traits.openProviders.includes(p.name) && p.name !== 'fbt' ? openKernelProvider(p.name, p) : p);
  }
  for (const name of traits.openProviders) {
    if (taken.has(name)) continue;
    taken.add(name);
    providers.push(name === 'fbt' ? fbtProvider(data.kernelFunctions, traits.kernelModule) : openKernelProvider(name));
  }
  const closed = new Set([...closedProviderNames(), ...taken]);
  return createStandardCatalogue(providers, [processProviderFamily(closed)]);
}

export function compileProgram(parser: Parser, req: FrontEndRequest): FrontEndResult {
  // Control lines are DTrace's lexer's business, anywhere in the text: the parser never sees them.
  const made = req.incremental?.blanked;
  const blanked = made !== undefined && made.text === req.text && made.controls !== undefined ? made : undefined;
  const controls = blanked?.controls ?? scanControlLines(req.text);
  const text = blanked?.blank ?? blankControlLines(req.text, controls);
  const tree = req.tree ?? parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  let syntaxErrors = findSyntaxErrors(tree);
  let plain: PNode;
  try {
    plain = plainTree(tree, text, req.incremental?.plain);
  } catch (e) {
    if (!(e instanceof NestingTooDeep)) throw e;
    // Too deep for the later stages: the script is read as empty, with that error.
    const empty = parser.parse('')!;
    plain = plainTree(empty, '');
    empty.delete();
    syntaxErrors = [...syntaxErrors.filter((s) => s.index < e.index), nestingError(e)];
  }
  if (req.incremental) req.incremental.plain = plain;
  const program = buildAst(plain, text);
  const lexical = findLexicalError(plain, text);
  forgetMovedItems(plain);
  if (!req.tree) tree.delete();
  const flavour = chooseFlavour({ ...(req.flavour !== undefined ? { requested: req.flavour } : {}), text: req.text, descriptions: programDescriptions(program, req) });
  const resolved: FrontEndRequest = { ...req, flavour: flavour.name };
  const catalogue = flavourCatalogue(flavour.name, req.providers ?? []);
  const firstError = earliest(lexical, syntaxErrors[0], text, parser);
  if (!firstError) {
    const analysis = analyzeProgram(parser, program, resolved, catalogue, undefined, controls);
    return { program, syntaxErrors, firstError, analysis, lines: analysis.lines, catalogue, flavour };
  }
  // What DTrace does while it reads the text (control lines, declarations, macros) happens
  // before it reaches the bad token: an error there comes first.
  const analysis = analyzeProgram(parser, program, resolved, catalogue, firstError.index, controls);
  const earlier = analysis.diagnostics.some((d) => d.severity === 'error' && d.file === undefined);
  return { program, syntaxErrors, firstError, analysis: earlier ? analysis : undefined, lines: analysis.lines, catalogue, flavour };
}

function nestingError(e: NestingTooDeep): SyntaxError {
  const end = { row: e.point.row, column: e.point.column + 1 };
  return { range: { start: e.point, end }, message: e.message, dtraceMessage: e.message, dtraceRow: e.point.row, index: e.index };
}

/**
 * One flavour for programs compiled together (`dtrace -n ... -s ...`): they enable probes of
 * one catalogue, so the choice looks at all of them.
 */
export function chooseFlavourOf(parser: Parser, texts: readonly string[], req: Pick<FrontEndRequest, 'flavour' | 'operands' | 'target'>): FlavourChoice {
  const descriptions: ProbeDescription[] = [];
  for (const t of texts) {
    const blanked = blankControlLines(t, scanControlLines(t));
    const tree = parser.parse(blanked);
    if (!tree) continue;
    let program: A.Program;
    try {
      program = buildAst(plainTree(tree, blanked), blanked);
    } catch (e) {
      if (!(e instanceof NestingTooDeep)) throw e;
      continue; // the compilation reports it
    } finally {
      tree.delete();
    }
    descriptions.push(...programDescriptions(program, { programName: '', ...(req.operands ? { operands: req.operands } : {}), ...(req.target !== undefined ? { target: req.target } : {}) }));
  }
  return chooseFlavour({ ...(req.flavour !== undefined ? { requested: req.flavour } : {}), text: texts.join('\n'), descriptions });
}

/** The script's probe descriptions, macros expanded (what the flavour guess looks at). */
function programDescriptions(program: A.Program, req: Pick<FrontEndRequest, 'programName' | 'operands' | 'target'>): ProbeDescription[] {
  const parsed = parsedDescriptionsFor(req);
  const out: ProbeDescription[] = [];
  for (const item of program.items) {
    if (item.k !== 'clause') continue;
    for (const d of item.descriptions) {
      if (d.id !== undefined) continue;
      let description = parsed.byText.get(d.text);
      if (description === undefined) {
        const made = parseProbeDescription(d.text, parsed.options);
        parsed.byText.set(d.text, (description = isProbeDescriptionError(made) ? null : made));
      }
      if (description !== null) out.push(description);
    }
  }
  return out;
}

/**
 * Descriptions parsed under the last macro arguments asked for, by text (null: malformed): the
 * editor asks for every clause's after every edit, and most are the same.
 */
let parsedDescriptions: { key: string; options: { argv: string[]; macros: Map<string, number> }; byText: Map<string, ProbeDescription | null> } | undefined;

function parsedDescriptionsFor(req: Pick<FrontEndRequest, 'programName' | 'operands' | 'target'>): NonNullable<typeof parsedDescriptions> {
  const argv = [req.programName, ...(req.operands ?? [])];
  const macros = new Map(Object.entries(processMacros(req.target)));
  const key = JSON.stringify([argv, [...macros]]);
  if (parsedDescriptions?.key !== key || parsedDescriptions.byText.size > 10_000) parsedDescriptions = { key, options: { argv, macros }, byText: new Map() };
  return parsedDescriptions;
}

function earliest(
  lexical: LexicalError | undefined,
  syntax: SyntaxError | undefined,
  text: string,
  parser: Parser,
): { tag: string; message: string; row: number; index: number } | undefined {
  let s = syntax ? { tag: 'D_SYNTAX', message: syntax.dtraceMessage, row: syntax.dtraceRow, index: syntax.index } : undefined;
  // `2f`: DTrace lexes a float (and rejects it); tree-sitter stops at the suffix.
  if (s && syntax && /^syntax error near "[fFlLeE]/.test(syntax.dtraceMessage) && /[0-9.]/.test(text[syntax.index - 1] ?? ''))
    s = { ...s, message: 'floating-point constants are not permitted' };
  const l = lexical ? { tag: lexical.tag, message: lexical.message, row: lexical.row, index: lexical.index } : undefined;
  if (!s) return l;
  if (!l || l.index <= s.index) return l ?? s;
  // A literal running into a newline derails tree-sitter, whose error may then start before
  // it: the error is DTrace's only if it stays before the literal however the literal is mended.
  const mended = mendBrokenLiteral(text, lexical!);
  if (mended !== undefined) {
    const closed = syntaxErrorBefore(parser, mended[0], l.index);
    const removed = syntaxErrorBefore(parser, mended[1], l.index);
    if (!closed || !removed) return l;
    // tree-sitter's error may take in good tokens before the bad one: the later is nearer.
    const e = closed.index >= removed.index ? closed : removed;
    return { tag: 'D_SYNTAX', message: e.dtraceMessage, row: e.dtraceRow, index: e.index };
  }
  // tree-sitter may place a syntax error before the broken literal that caused it, on its line.
  return l.row <= s.row ? l : s;
}

function syntaxErrorBefore(parser: Parser, text: string, index: number): SyntaxError | undefined {
  const tree = parser.parse(text);
  if (!tree) return undefined;
  const first = findSyntaxErrors(tree)[0];
  tree.delete();
  return first && first.index < index ? first : undefined;
}

export function analyzeProgram(
  parser: Parser,
  program: A.Program,
  req: FrontEndRequest,
  catalogue: ProbeCatalogue,
  stopAt?: number,
  /** The control lines of `req.text`, when the caller has scanned them already. */
  controls?: readonly ScannedControlLine[],
): Analysis {
  const o = req.options;
  const flavour = req.flavour === undefined || req.flavour === 'auto' ? DEFAULT_FLAVOUR : req.flavour;
  const libraries: SourceUnit[] = req.noLibraries || o.flag('nolibs') ? [] : libraryUnits(loadLibraries(parser, flavour));
  const matcher: ProbeMatcher = {
    match: (desc) => catalogue.match(desc).map((p) => ({ ...p, args: [...p.args] })),
  };
  const libraryNames = libraryNamesOf(libraries);
  const process = processMacros(req.target);
  const argv = [req.programName, ...(req.operands ?? [])];
  const macroIds = new Map(Object.entries(process));
  const input: AnalyzeInput = {
    program,
    source: req.text,
    ...(controls !== undefined ? { sourceControls: controls } : {}),
    libraries,
    settings: {
      destructive: o.flag('destructive'),
      zdefs: o.flag('zdefs'),
      strsize: o.bytes('strsize') ?? 256,
      defaultargs: o.flag('defaultargs'),
      argref: o.flag('argref'),
      boundedLoops: req.boundedLoops ?? 0,
      ...(req.target !== undefined ? { hasTarget: true } : {}),
      ...(req.flavour !== undefined && req.flavour !== 'auto' ? { flavour: req.flavour } : {}),
    },
    macros: { program: req.programName, operands: req.operands ?? [], defaultargs: o.flag('defaultargs'), process },
    probes: matcher,
    probeById: (id) => {
      const p = id <= 0xffffffffn ? catalogue.probe(Number(id)) : undefined;
      return p ? { ...p, args: [...p.args] } : undefined;
    },
    providerAttributes: (name) => catalogue.providerAttributes(name),
    options: o,
    pragmas: {
      hasDependency: (kind, name) => (kind === 'provider' ? catalogue.providers().includes(name) : hasModule(catalogue, name)),
      hasLibrary: (name) => libraryNames.has(name),
    },
    parseDescription: (text) => {
      const d = parseProbeDescription(text, { argv, macros: macroIds });
      return isProbeDescriptionError(d) ? { error: d.error } : d;
    },
    ...(req.commandLine ? { commandLine: true } : {}),
    ...(stopAt !== undefined ? { stopAt } : {}),
    ...(req.continueFrom ? { continueFrom: req.continueFrom.compilation } : {}),
    ...(req.incremental ? { lineage: req.incremental.lineage } : {}),
    ...(req.lenientProviders
      ? { lenientProviders: true, knownProvider: (name: string) => name !== '' && (catalogue.providers().includes(name) || flavoursWithProvider(name).length > 0) }
      : {}),
    openDescription: (desc) => catalogue.mayHaveUnlisted?.(desc) === true,
    missDetail: (desc) => missDetail(catalogue, flavour, desc),
    builtinTypes: new Map([['curthread', FLAVOUR_TRAITS[flavour].curthread]]),
    kernelTypeNames: kernelTypeNames(flavour),
  };
  const libraryKey = snapshotKey(flavour, input);
  if (req.incremental) {
    // What checking a clause depends on besides the text (clauseReuse.ts's records hold while it is the same).
    const requestKey = JSON.stringify([libraryKey, req.programName, req.operands, req.target, req.providers, req.lenientProviders, req.commandLine, req.noLibraries, req.boundedLoops]);
    input.clauseReuse = { reuse: req.incremental.clauses, requestKey };
  }
  // Every compilation starts from the libraries read once (the editor compiles after every edit).
  const snapshot =
    req.reuseLibraries !== false && !req.continueFrom && libraries.length > 0 && (req.providers ?? []).length === 0
      ? librarySnapshot(libraryKey, libraryReader(input))
      : undefined;
  if (!snapshot) return analyze(input);
  const analysis = analyze({ ...input, continueFrom: forkLibraries(snapshot) });
  // The script completed a kernel struct the libraries only point to (rare): without the snapshot.
  if (restoreIncomplete(snapshot)) return analyze(input);
  analysis.diagnostics.push(...snapshot.diagnostics);
  return analysis;
}

/** The libraries as units to compile, made once per flavour (the editor compiles after every edit). */
const units = new WeakMap<LoadedLibrary[], SourceUnit[]>();
const unitNames = new WeakMap<SourceUnit[], Set<string | undefined>>();

function libraryUnits(loaded: LoadedLibrary[]): SourceUnit[] {
  let u = units.get(loaded);
  if (!u) units.set(loaded, (u = loaded.map((l) => ({ program: l.program, source: l.source, file: l.file }))));
  return u;
}

function libraryNamesOf(libraries: SourceUnit[]): Set<string | undefined> {
  let names = unitNames.get(libraries);
  if (!names) unitNames.set(libraries, (names = new Set(libraries.map((l) => (l.file ?? '').split('/').pop()))));
  return names;
}

/** What reading the library files depends on besides their text. */
function snapshotKey(flavour: Flavour, input: AnalyzeInput): string {
  const options = input.options.explicitNames().map((n) => [n, input.options.get(n)]);
  return JSON.stringify([flavour, input.settings, options], (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/**
 * Reads the libraries for `input`'s snapshot. A function of its own: a closure made in
 * analyzeProgram would keep that call's whole scope, its program included, alive in the
 * snapshot (its probe matcher is made there too), and an editor's first version of a
 * document with it.
 */
function libraryReader(input: AnalyzeInput): () => { compilation: Compilation; diagnostics: Diagnostic[] } {
  return () => readLibraries(input);
}

/** A compilation of an empty program after the libraries: their state, and their diagnostics. */
function readLibraries(input: AnalyzeInput): { compilation: Compilation; diagnostics: Diagnostic[] } {
  const span = { start: { row: 0, column: 0 }, end: { row: 0, column: 0 }, startIndex: 0, endIndex: 0 };
  const { source: _, lineage: __, clauseReuse: ___, ...rest } = input;
  const analysis = analyze({ ...rest, program: { items: [], span }, stopAt: 0 });
  const c = analysis.compilation;
  // The empty program counted as a unit: the script compiled from the fork is the next one.
  if (typeof c.unit === 'number') c.unit--;
  return { compilation: c, diagnostics: analysis.diagnostics };
}

/**
 * The editor's explanation of a description that matches nothing: the nearest description
 * that does, or the flavours that have its provider.
 */
function missDetail(catalogue: ProbeCatalogue, flavour: Flavour, desc: ProbeDescription): string | undefined {
  const near = suggestDescription(catalogue, desc);
  if (near) return `did you mean ${descriptionString(near)}?`;
  if (desc.provider === '' || catalogue.providers().includes(desc.provider)) return undefined;
  const elsewhere = flavoursWithProvider(desc.provider);
  if (elsewhere.length === 0) return undefined;
  const names = elsewhere.map((f) => FLAVOUR_LABELS[f]).join(', ');
  return `provider ${desc.provider} exists on ${names}, not on ${FLAVOUR_LABELS[flavour]} (the flavour this script is compiled for): choose the flavour with the dtrace.flavour setting, dtvm --flavour, or #pragma D depends_on provider ${desc.provider}`;
}

/**
 * A kernel module with type information: the compiler's own type containers `D` and `C`, or a
 * module some probe of the catalogue is in.
 */
function hasModule(catalogue: ProbeCatalogue, name: string): boolean {
  if (name === 'D' || name === 'C') return true;
  if (name === '' || /[*?[\\]/.test(name)) return false;
  return catalogue.match({ provider: '', module: name, function: '', name: '' }).length > 0;
}

/**
 * What dtrace(1)'s "matched N probes" counts: the probes of every enabling DTrace would make,
 * that is each clause after `if` desugaring (a sub-clause enables its clause's probes again)
 * and the `dtrace:::ERROR` clause the sugar adds.
 */
export function countEnabledProbes(result: FrontEndResult, clauses: readonly DesugaredClause[]): number {
  let matched = 0;
  for (const d of clauses) {
    if (d.addedErrorClause) matched += result.catalogue.match({ provider: 'dtrace', module: '', function: '', name: 'ERROR' }).length;
    else matched += result.analysis?.clauses.find((x) => x.clause === d.origin)?.probes.length ?? 0;
  }
  return matched;
}
