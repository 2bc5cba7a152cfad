// One call from D text to a checked program, for every face (command line, language server,
// debugger): parse, build the AST, load the D library files, analyze. The faces only format.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type * as A from '../parse/ast';
import type { DesugaredClause } from '../desugar/ifDesugar';
import { buildAst } from '../parse/buildAst';
import { plainTree } from '../parse/plainTree';
import { findSyntaxErrors, type SyntaxError } from '../parse/syntaxErrors';
import { findLexicalError, mendBrokenLiteral, type LexicalError } from '../parse/lexicalErrors';
import { createStandardCatalogue, parseProbeDescription, isProbeDescriptionError, type ProbeCatalogue, type ProviderDefinition } from './catalogue';
import type { ProbeMatcher } from './compilation';
import { analyze, type Analysis, type SourceUnit } from './program';
import { OptionSet } from './options/optionSet';
import { processMacros } from './macros';
import { blankControlLines, scanControlLines } from './controlLineLexer';
import type { LineTable } from './controlLines';

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
}

export interface FrontEndResult {
  program: A.Program;
  syntaxErrors: SyntaxError[];
  /** The error DTrace reports first when the text does not lex or parse (lexical or syntax). */
  firstError: { tag: string; message: string; row: number } | undefined;
  /** Undefined when syntax errors stopped the compilation (DTrace stops at the first). */
  analysis: Analysis | undefined;
  /** Line numbers as DTrace counts them, up to where it stopped reading (`#line`). */
  lines: LineTable;
  catalogue: ProbeCatalogue;
}

export function libraryDirectory(): string {
  const candidates = [join(__dirname, 'lib', 'dtrace'), join(__dirname, '..', '..', 'lib', 'dtrace')];
  for (const c of candidates) if (existsSync(c)) return c;
  return candidates[candidates.length - 1]!;
}

interface LoadedLibrary {
  file: string;
  program: A.Program;
  source: string;
  dependsOn: string[];
}

let libraryCache: LoadedLibrary[] | undefined;

/** The D library files in dependency order (`#pragma D depends_on library x.d`), parsed once. */
export function loadLibraries(parser: Parser): LoadedLibrary[] {
  if (libraryCache) return libraryCache;
  const dir = libraryDirectory();
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.d')).sort() : [];
  const loaded = new Map<string, LoadedLibrary>();
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const parsed = blankControlLines(text, scanControlLines(text));
    const tree = parser.parse(parsed);
    if (!tree) continue;
    const program = buildAst(plainTree(tree, parsed), parsed);
    tree.delete();
    const dependsOn = [...text.matchAll(/^\s*#\s*pragma\s+D\s+depends_on\s+library\s+(\S+)/gm)].map((m) => m[1]!);
    loaded.set(f, { file: join(dir, f), program, source: text, dependsOn });
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
  libraryCache = ordered;
  return ordered;
}

export function compileProgram(parser: Parser, req: FrontEndRequest): FrontEndResult {
  // Control lines are DTrace's lexer's business, anywhere in the text: the parser never sees them.
  const text = blankControlLines(req.text, scanControlLines(req.text));
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  const syntaxErrors = findSyntaxErrors(tree);
  const plain = plainTree(tree, text);
  const program = buildAst(plain, text);
  const lexical = findLexicalError(plain, text);
  tree.delete();
  const catalogue = createStandardCatalogue(req.providers ?? []);
  const firstError = earliest(lexical, syntaxErrors[0], text, parser);
  if (!firstError) {
    const analysis = analyzeProgram(parser, program, req, catalogue);
    return { program, syntaxErrors, firstError, analysis, lines: analysis.lines, catalogue };
  }
  // What DTrace does while it reads the text (control lines, declarations, macros) happens
  // before it reaches the bad token: an error there comes first.
  const analysis = analyzeProgram(parser, program, req, catalogue, firstError.index);
  const earlier = analysis.diagnostics.some((d) => d.severity === 'error' && d.file === undefined);
  return { program, syntaxErrors, firstError, analysis: earlier ? analysis : undefined, lines: analysis.lines, catalogue };
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

export function analyzeProgram(parser: Parser, program: A.Program, req: FrontEndRequest, catalogue: ProbeCatalogue, stopAt?: number): Analysis {
  const o = req.options;
  const libraries: SourceUnit[] = req.noLibraries || o.flag('nolibs') ? [] : loadLibraries(parser).map((l) => ({ program: l.program, source: l.source, file: l.file }));
  const matcher: ProbeMatcher = {
    match: (desc) => catalogue.match(desc).map((p) => ({ ...p, args: [...p.args] })),
  };
  const libraryNames = new Set(libraries.map((l) => (l.file ?? '').split('/').pop()));
  const process = processMacros();
  const argv = [req.programName, ...(req.operands ?? [])];
  const macroIds = new Map(Object.entries(process));
  return analyze({
    program,
    source: req.text,
    libraries,
    settings: {
      destructive: o.flag('destructive'),
      zdefs: o.flag('zdefs'),
      strsize: o.bytes('strsize') ?? 256,
      defaultargs: o.flag('defaultargs'),
      argref: o.flag('argref'),
      boundedLoops: req.boundedLoops ?? 0,
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
    ...(req.lenientProviders
      ? { lenientProviders: true, knownProvider: (name: string) => catalogue.providers().some((p) => name !== '' && p === name) }
      : {}),
  });
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
