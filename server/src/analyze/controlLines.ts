// Control lines: `#pragma D option|attributes|binding|depends_on`, `#error`, `#ident`, `#line`
// and cpp's `# N "file"` markers, with DTrace's rules (dt_pragma.c): which directive words are
// allowed bare, after `#pragma` or only after `#pragma D`, their messages, and the line each
// error is reported at. Reference section 1.9.
import type { Compilation } from './compilation';
import type { ControlToken, ScannedControlLine } from './controlLineLexer';
import { applyPragmaOption, type PragmaWord } from './options/optionMessages';
import type { OptionSet } from './options/optionSet';
import { BUILTIN_ARRAYS, BUILTIN_VARIABLES } from './builtins/variables';
import { FUNCTIONS_BY_NAME } from './builtins/functions';

export interface PragmaHost {
  /** Whether a provider or kernel module named by `#pragma D depends_on` is present. */
  hasDependency(kind: 'provider' | 'module', name: string): boolean;
  /** Whether a D library file of this name was loaded (for libraries' own dependencies). */
  hasLibrary?(name: string): boolean;
}

/**
 * The line numbers and file name DTrace reports: `#line N "file"` and `# N "file"` restart the
 * count. Rows are 0-based rows of the text; lines are what messages print.
 */
export class LineTable {
  private readonly segments: { row: number; line: number; file: string | undefined }[] = [{ row: 0, line: 1, file: undefined }];

  /** From `row` on, rows count from `line`; `file` undefined keeps the current file name. */
  restart(row: number, line: number, file: { name: string | undefined } | undefined): void {
    const current = this.segments[this.segments.length - 1]!;
    this.segments.push({ row, line, file: file ? file.name : current.file });
  }

  at(row: number): { line: number; file: string | undefined } {
    let s = this.segments[0]!;
    for (const x of this.segments) if (x.row <= row) s = x;
    return { line: s.line + (row - s.row), file: s.file };
  }

  /** The file name in effect once the whole text has been read (what later checks report). */
  get finalFile(): string | undefined {
    return this.segments[this.segments.length - 1]!.file;
  }
}

/** A `#pragma D attributes|binding` naming an identifier not defined yet. */
export interface PendingPragma {
  name: string;
  pragma: 'attributes' | 'binding';
  /** The version a binding pragma names. */
  version?: string;
  /** The row of the pragma: DTrace reports an unused pragma there. */
  row: number;
  line: ScannedControlLine;
}

export interface ControlContext {
  host: PragmaHost;
  options: OptionSet;
  lines: LineTable;
  pending: PendingPragma[];
  /** Compiling a D library file rather than the user's program. */
  library: boolean;
}

/** Identifiers the compiler itself defines, beside the built-in variables and functions. */
const BUILT_IN = new Set(['NULL']);

/** Where the identifier a pragma names is defined, if it is. */
export type GlobalOrigin = 'program' | 'outside';

/**
 * A global identifier (variable, inline, enumerator, built-in) by name: `program` when the unit
 * being compiled (the user's program, or one D library file) defined it, `outside` for built-ins
 * and the other units (dt_pragma.c compares the identifier's generation with the handle's).
 */
export function globalOrigin(c: Compilation, name: string): GlobalOrigin | undefined {
  if (BUILT_IN.has(name) || FUNCTIONS_BY_NAME.has(name) || BUILTIN_ARRAYS.has(name) || BUILTIN_VARIABLES.some((v) => v.name === name)) return 'outside';
  const defined = c.globals.get(name) ?? c.inlines.get(name) ?? c.enumerators.get(name);
  if (!defined) return undefined;
  return defined.definitionUnit === c.unit ? 'program' : 'outside';
}

/** Applies the pending pragmas whose identifier this unit has now defined, and drops them. */
export function applyPendingPragmas(c: Compilation, pending: PendingPragma[]): void {
  for (let i = pending.length - 1; i >= 0; i--) {
    const p = pending[i]!;
    if (globalOrigin(c, p.name) !== 'program') continue;
    if (p.version !== undefined) bind(c, p.name, p.version);
    pending.splice(i, 1);
  }
}

/** The global, inline or enumerator of this name remembers the D version it is bound to. */
function bind(c: Compilation, name: string, version: string): void {
  const entity = c.globals.get(name) ?? c.inlines.get(name) ?? c.enumerators.get(name);
  if (entity) entity.binding = version;
}

/** dt_version_str2num: `M.m.u` as one comparable number. */
function versionNumber(text: string): number {
  const [major = 0, minor = 0, micro = 0] = text.split('.').map((p) => Number(p === '' ? '0' : p));
  return major * 2 ** 24 + minor * 2 ** 12 + micro;
}

/**
 * dt_reduce: compiling for D version `version` (option `version`) removes the identifiers bound
 * to a later one, so a program written for that version may use their names for its own.
 */
export function hideLaterBindings(c: Compilation, version: string): void {
  const limit = versionNumber(version);
  const later = (e: { binding?: string }): boolean => e.binding !== undefined && versionNumber(e.binding) > limit;
  for (const v of c.globals.all()) if (later(v)) c.globals.delete(v.name);
  for (const [name, i] of c.inlines) if (later(i)) c.inlines.delete(name);
  for (const [name, e] of c.enumerators) if (later(e)) c.enumerators.delete(name);
}

/** Processes one control line as DTrace does when its lexer reaches the line's newline. */
export function processControlLine(c: Compilation, line: ScannedControlLine, ctx: ControlContext): void {
  if (line.interpreter) return;
  const row = line.span.start.row;
  if (line.error) c.error(line.error.tag, line.span, line.error.message, undefined, row + 1);
  if (line.atEndOfInput) return;
  const tokens = line.tokens;
  let kind: 'dir' | 'sub' | 'dcp' = 'dir';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // A leading number is a line marker (`# 12 "file"`); its errors are reported a line late.
    if (t.kind === 'int') {
      lineDirective(c, line, 'line', tokens.slice(i), ctx, row + 2, false);
      return;
    }
    if (t.kind !== 'ident') c.error('D_PRAGCTL_INVAL', line.span, 'invalid control directive', undefined, row + 2);
    if (kind === 'dir' && t.text === 'pragma') {
      kind = 'sub';
      continue;
    }
    if (kind === 'sub' && t.text === 'D') {
      kind = 'dcp';
      continue;
    }
    directive(c, line, kind, t.text, tokens.slice(i + 1), ctx);
    return;
  }
}

const DIRECTIVE_KINDS: Record<string, 'dir' | 'dcp'> = {
  attributes: 'dcp',
  binding: 'dcp',
  depends_on: 'dcp',
  error: 'dir',
  ident: 'dir',
  line: 'dir',
  option: 'dcp',
};

const RANK = { dir: 0, sub: 1, dcp: 2 } as const;

function directive(c: Compilation, line: ScannedControlLine, kind: 'dir' | 'sub' | 'dcp', name: string, args: ControlToken[], ctx: ControlContext): void {
  const at = line.span.start.row + 1;
  const required = Object.hasOwn(DIRECTIVE_KINDS, name) ? DIRECTIVE_KINDS[name]! : undefined;
  if (required === undefined || RANK[required] > RANK[kind]) {
    if (kind === 'dir') c.error('D_PRAGCTL_INVAL', line.span, `invalid control directive: #${name}`, undefined, at);
    if (kind === 'dcp') c.error('D_PRAGMA_INVAL', line.span, `invalid D pragma: ${name}`, undefined, at);
    return; // Unknown `#pragma X` lines are ignored (K&R A12.8).
  }
  switch (name) {
    case 'attributes':
      return attributesPragma(c, line, args, ctx);
    case 'binding':
      return bindingPragma(c, line, args, ctx);
    case 'depends_on':
      return dependsOnPragma(c, line, args, ctx);
    case 'error': {
      // Identifiers and strings each followed by a blank; numbers are dropped.
      const words = args.filter((a) => a.kind !== 'int').map((a) => `${a.text} `);
      c.error('D_PRAGERR', line.span, `#error: ${words.join('')}`, undefined, at);
      return;
    }
    case 'ident':
      return;
    case 'line':
      return lineDirective(c, line, 'line', args, ctx, at, true);
    case 'option':
      return optionPragma(c, line, args, ctx);
  }
}

function lineDirective(c: Compilation, line: ScannedControlLine, prname: string, args: ControlToken[], ctx: ControlContext, at: number, named: boolean): void {
  const [n, file, state] = args;
  if (n?.kind !== 'int' || (file !== undefined && file.kind !== 'string') || (state !== undefined && state.kind !== 'int'))
    c.error('D_PRAGMA_MALFORM', line.span, `malformed #${prname} <line> [ ["file"] state ]`, undefined, at);
  // A file under /dev/fd/ is the main input again (cpp names it so): no file name in messages.
  const name = file === undefined ? undefined : { name: file.text.startsWith('/dev/fd/') ? undefined : file.text };
  // `#line N` counts the next line as N + 1 (DTrace adds the newline it had already counted);
  // a bare `# N` marker numbers the next line N, as cpp means.
  ctx.lines.restart(line.span.start.row + 1, Number(BigInt.asIntN(32, n.value)) + (named ? 1 : 0), name);
}

function optionPragma(c: Compilation, line: ScannedControlLine, args: ControlToken[], ctx: ControlContext): void {
  const at = line.span.start.row + 1;
  const words: PragmaWord[] = args.map((a) => ({ kind: a.kind, text: a.text }));
  // Our bounded-loop extension is not a DTrace option; it lives beside them.
  const bounded = /^boundedloops(?:=(\d+))?$/.exec(words[0]?.text ?? '');
  if (bounded && words.length === 1 && words[0]!.kind === 'ident') {
    c.settings.boundedLoops = Number(bounded[1] ?? 64);
    return;
  }
  const r = applyPragmaOption(ctx.options, words);
  if (!r.ok) c.error(r.code, line.span, r.message, undefined, at);
  if (r.name === 'destructive') c.settings.destructive = true;
  if (r.name === 'zdefs') c.settings.zdefs = true;
  if (r.name === 'defaultargs') c.settings.defaultargs = true;
  if (r.name === 'argref') c.settings.argref = true;
  if (r.name === 'strsize') c.settings.strsize = ctx.options.bytes('strsize') ?? c.settings.strsize;
  if (r.name === 'version') hideLaterBindings(c, ctx.options.text('version') ?? '');
}

const STABILITY = ['internal', 'private', 'obsolete', 'external', 'unstable', 'evolving', 'stable', 'standard'];
const CLASSES = ['unknown', 'cpu', 'platform', 'group', 'isa', 'common'];

/** dtrace_str2attr: `name[/data[/class]]`, case-insensitive, a trailing `/` allowed. */
export function validAttributes(text: string): boolean {
  const parts = text.split('/');
  const lists = [STABILITY, STABILITY, CLASSES];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '' && i === parts.length - 1) return true; // nothing left to read
    if (i >= lists.length || !lists[i]!.includes(p.toLowerCase())) return false;
  }
  return true;
}

/** dt_version_str2num: `M[.m[.u]]` digits only, at most 255.4095.4095. */
export function validVersion(text: string): boolean {
  const parts = text.split('.');
  if (parts.length > 3 || parts.some((p) => !/^[0-9]*$/.test(p))) return false;
  const limits = [0xff, 0xfff, 0xfff];
  return parts.every((p, i) => Number(p === '' ? '0' : p) <= limits[i]!);
}

function attributesPragma(c: Compilation, line: ScannedControlLine, args: ControlToken[], ctx: ControlContext): void {
  const at = line.span.start.row + 1;
  const [attr, target] = args;
  if (attr?.kind !== 'ident' || target?.kind !== 'ident')
    c.error('D_PRAGMA_MALFORM', line.span, 'malformed #pragma attributes <attributes> <ident>', undefined, at);
  if (!validAttributes(attr.text)) c.error('D_PRAGMA_INVAL', line.span, 'invalid attributes specified by #pragma attributes', undefined, at);
  let name = target.text;
  if (name === 'provider') {
    const provider = args[2];
    const part = args[3];
    if (provider === undefined || part === undefined)
      c.error('D_PRAGMA_MALFORM', line.span, 'malformed #pragma attributes <attributes> <ident>', undefined, at);
    name = provider.text;
    if (ctx.host.hasDependency('provider', name) || c.definedProviders.has(name)) {
      // DTrace's message swaps the two: the provider is called the component.
      if (!['provider', 'module', 'function', 'name', 'args'].includes(part.text))
        c.error('D_PRAGMA_INVAL', line.span, `invalid component "${name}" in attribute #pragma for provider ${part.text}`, undefined, at);
      return;
    }
    // An unknown provider falls through: the pragma waits for an identifier of its name.
  }
  namedPragma(c, line, 'attributes', name, ctx);
}

function bindingPragma(c: Compilation, line: ScannedControlLine, args: ControlToken[], ctx: ControlContext): void {
  const at = line.span.start.row + 1;
  const [version, target] = args;
  if (version?.kind !== 'string' || target?.kind !== 'ident')
    c.error('D_PRAGMA_MALFORM', line.span, 'malformed #pragma binding "version" <ident>', undefined, at);
  if (!validVersion(version.text)) c.error('D_PRAGMA_INVAL', line.span, 'invalid version string specified by #pragma binding', undefined, at);
  namedPragma(c, line, 'binding', target.text, ctx, version.text);
}

/** Applies to an identifier this program defined; waits for one not defined yet. */
function namedPragma(c: Compilation, line: ScannedControlLine, pragma: 'attributes' | 'binding', name: string, ctx: ControlContext, version?: string): void {
  const origin = globalOrigin(c, name);
  if (origin === 'outside')
    c.error('D_PRAGMA_SCOPE', line.span, `#pragma ${pragma} cannot modify entity defined outside program scope`, undefined, line.span.start.row + 1);
  if (origin === 'program') {
    if (version !== undefined) bind(c, name, version);
    return;
  }
  ctx.pending.push({ name, pragma, row: line.span.start.row, line, ...(version !== undefined ? { version } : {}) });
}

function dependsOnPragma(c: Compilation, line: ScannedControlLine, args: ControlToken[], ctx: ControlContext): void {
  const at = line.span.start.row + 1;
  const [cls, target] = args;
  if (cls?.kind !== 'ident' || target?.kind !== 'ident')
    c.error('D_PRAGMA_MALFORM', line.span, 'malformed #pragma depends_on <class> <name>', undefined, at);
  const name = target.text;
  let found: boolean;
  if (cls.text === 'provider') found = ctx.host.hasDependency('provider', name) || c.definedProviders.has(name);
  else if (cls.text === 'module') found = ctx.host.hasDependency('module', name);
  else if (cls.text === 'library') {
    if (!ctx.library) c.error('D_PRAGMA_DEPEND', line.span, 'main program may not explicitly depend on a library', undefined, at);
    if (ctx.host.hasLibrary && !ctx.host.hasLibrary(name))
      c.error('D_PRAGMA_DEPEND', line.span, `failed to find dependency in libpath: ${name}`, undefined, at);
    found = true;
  } else c.error('D_PRAGMA_INVAL', line.span, `invalid class ${cls.text} specified by #pragma depends_on`, undefined, at);
  if (!found) c.error('D_PRAGMA_DEPEND', line.span, `program requires ${cls.text} ${name}`, undefined, at);
}

/** DTrace's check once the whole program has been read: a pragma still waiting was unused. */
export function checkUnusedPragmas(c: Compilation, pending: readonly PendingPragma[]): void {
  const p = pending[0];
  if (p) c.error('D_PRAGMA_UNUSED', p.line.span, `unused #pragma ${p.pragma}`, undefined, p.row + 1);
}
