// One call from D text to a checked program, for every face (command line, language server,
// debugger): parse, build the AST, load the D library files, analyze. The faces only format.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type * as A from '../parse/ast';
import { buildAst } from '../parse/buildAst';
import { plainTree } from '../parse/plainTree';
import { findSyntaxErrors, type SyntaxError } from '../parse/syntaxErrors';
import { findLexicalError, type LexicalError } from '../parse/lexicalErrors';
import { createStandardCatalogue, parseProbeDescription, isProbeDescriptionError, type ProbeCatalogue, type ProviderDefinition } from './catalogue';
import type { ProbeMatcher } from './compilation';
import { analyze, type Analysis, type SourceUnit } from './program';
import { OptionSet } from './options/optionSet';
import { processMacros } from './macros';

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
    const tree = parser.parse(text);
    if (!tree) continue;
    const program = buildAst(plainTree(tree), text);
    tree.delete();
    const dependsOn = [...text.matchAll(/^\s*#\s*pragma\s+D\s+depends_on\s+library\s+(\S+)/gm)].map((m) => m[1]!);
    loaded.set(f, { file: join(dir, f), program, dependsOn });
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
  const tree = parser.parse(req.text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  const syntaxErrors = findSyntaxErrors(tree);
  const plain = plainTree(tree);
  const program = buildAst(plain, req.text);
  const lexical = findLexicalError(plain, req.text);
  tree.delete();
  const catalogue = createStandardCatalogue(req.providers ?? []);
  const firstError = earliest(lexical, syntaxErrors[0], req.text);
  if (!firstError) return { program, syntaxErrors, firstError, analysis: analyzeProgram(parser, program, req, catalogue), catalogue };
  // Declarations and control lines are handled while DTrace parses: one before the bad token
  // fails first. Clauses are checked only once the whole text has parsed.
  const before = { ...program, items: program.items.filter((i) => i.k !== 'clause' && i.span.endIndex <= firstError.index) };
  const analysis = analyzeProgram(parser, before, req, catalogue);
  const declError = analysis.diagnostics.find((d) => d.severity === 'error' && d.file === undefined && d.code !== 'D_EMPTY' && d.code !== 'D_MACRO_UNUSED');
  return { program, syntaxErrors, firstError, analysis: declError ? analysis : undefined, catalogue };
}

function earliest(
  lexical: LexicalError | undefined,
  syntax: SyntaxError | undefined,
  text: string,
): { tag: string; message: string; row: number; index: number } | undefined {
  let s = syntax ? { tag: 'D_SYNTAX', message: syntax.dtraceMessage, row: syntax.dtraceRow, index: syntax.index } : undefined;
  // `2f`: DTrace lexes a float (and rejects it); tree-sitter stops at the suffix.
  if (s && syntax && /^syntax error near "[fFlLeE]/.test(syntax.dtraceMessage) && /[0-9.]/.test(text[syntax.index - 1] ?? ''))
    s = { ...s, message: 'floating-point constants are not permitted' };
  const l = lexical ? { tag: lexical.tag, message: lexical.message, row: lexical.row, index: lexical.index } : undefined;
  if (!s) return l;
  if (!l) return s;
  // tree-sitter may place a syntax error before the broken literal that caused it, on its line.
  return l.index <= s.index || l.row <= s.row ? l : s;
}

export function analyzeProgram(parser: Parser, program: A.Program, req: FrontEndRequest, catalogue: ProbeCatalogue): Analysis {
  const o = req.options;
  const libraries: SourceUnit[] = req.noLibraries || o.flag('nolibs') ? [] : loadLibraries(parser).map((l) => ({ program: l.program, file: l.file }));
  const matcher: ProbeMatcher = {
    match: (desc) => catalogue.match(desc).map((p) => ({ ...p, args: [...p.args] })),
  };
  const libraryNames = new Set(libraries.map((l) => (l.file ?? '').split('/').pop()));
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
    macros: { program: req.programName, operands: req.operands ?? [], defaultargs: o.flag('defaultargs'), process: processMacros() },
    probes: matcher,
    options: o,
    pragmas: {
      hasDependency: (kind, name) =>
        kind === 'provider' ? catalogue.match({ provider: name, module: '', function: '', name: '' }).length > 0 : kind === 'library' ? libraryNames.has(name) : true,
    },
    parseDescription: (text) => {
      const d = parseProbeDescription(text);
      return isProbeDescriptionError(d) ? { error: d.error } : d;
    },
    ...(req.commandLine ? { commandLine: true } : {}),
    ...(req.lenientProviders
      ? { lenientProviders: true, knownProvider: (name: string) => catalogue.providers().some((p) => name !== '' && p === name) }
      : {}),
  });
}
