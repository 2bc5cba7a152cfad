// `dtvm -S`: the compiled program's DIF objects as `dtrace -S` frames them (libdtrace's
// dt_dis_program): for each probe description of a clause a "Disassembly of p:m:f:n" line,
// then for each statement its predicate object and its actions' objects, each headed by what
// it is for. The objects themselves are laid out by the DIF disassembler.
import type { FrontEndResult } from '../analyze/frontEnd';
import type { OptionSet } from '../analyze/options/optionSet';
import { CodegenError, generateProgram } from '../codegen/index';
import type { CompiledProgram, ActionDesc } from '../codegen/program';
import { formatCompileError, type Location } from './compileErrors';
import { ACT } from '../codegen/program';
import type { DesugaredClause } from '../desugar/ifDesugar';
import type { Difo } from '../dif/difo';
import { disassemble } from '../dif/disassembler';
import { formatDifType } from '../dif/type-text';

/** dt_dis_action's names: a DIF object of these kinds is "returning T for action NAME". */
const ACTION_NAMES: ReadonlyMap<number, string> = new Map([
  [ACT.EXIT, 'exit()'],
  [ACT.PRINTF, 'printf'],
  [ACT.PRINTA, 'printa'],
  [ACT.LIBACT, 'library-controlled'],
  [ACT.USTACK, 'ustack()'],
  [ACT.JSTACK, 'jstack()'],
  [ACT.USYM, 'usym()'],
  [ACT.UMOD, 'umod()'],
  [ACT.UADDR, 'uaddr()'],
  [ACT.STOP, 'stop()'],
  [ACT.RAISE, 'raise()'],
  [ACT.SYSTEM, 'system()'],
  [ACT.FREOPEN, 'freopen()'],
  [ACT.STACK, 'stack()'],
  [ACT.SYM, 'sym()'],
  [ACT.MOD, 'mod()'],
  [ACT.BREAKPOINT, 'breakpoint()'],
  [ACT.PANIC, 'panic()'],
  [ACT.CHILL, 'chill()'],
  [ACT.SPECULATE, 'speculate()'],
  [ACT.COMMIT, 'commit()'],
  [ACT.DISCARD, 'discard()'],
]);

const FORMATTED = new Set<number>([ACT.PRINTF, ACT.PRINTA]);

/** The probe description's four fields, filled from the right as DTrace reads a short one. */
export function descriptionFields(text: string): string {
  const parts = text.split(':');
  const fields = ['', '', '', ''];
  const n = Math.min(parts.length, 4);
  for (let i = 0; i < n; i++) fields[4 - n + i] = parts[parts.length - n + i]!;
  if (parts.length > 4) fields[0] = parts.slice(0, parts.length - 3).join(':');
  return fields.join(':');
}

/** An object's listing without its own "DIFO ... returns" header line. */
function body(d: Difo): string {
  const lines = disassemble(d).split('\n');
  return lines.slice(2).join('\n');
}

function objectHeader(d: Difo): string {
  return `DIFO 0x0 returns ${formatDifType(d.returnType)}`;
}

function action(a: ActionDesc, format: string | undefined): string {
  const name = ACTION_NAMES.get(a.kind);
  const described = name === undefined ? '' : FORMATTED.has(a.kind) ? formatted(name, format) : `${name}\n`;
  if (!a.difo) return name === undefined ? '' : `\nAction, without DIFO, ${described}`;
  if (name === undefined) return `\n${objectHeader(a.difo)}\n${body(a.difo)}`;
  return `\nDIFO 0x0 returning ${formatDifType(a.difo.returnType)} for action ${described}${body(a.difo)}`;
}

function formatted(name: string, format: string | undefined): string {
  if (format === undefined) return `${name}()\n`;
  return `${name}(), format string ${format}${format.endsWith('\n') ? '' : '\n'}`;
}

/** The whole program, as dtrace -S writes it to stderr. */
export function formatDisassembly(program: CompiledProgram, clauses: readonly DesugaredClause[], descriptions: (clause: DesugaredClause) => string[]): string {
  let out = '';
  program.enablings.forEach((e) => {
    const clause = clauses[e.clause];
    if (!clause) return;
    // Statements (groups of actions made by one D statement), in order.
    const statements: ActionDesc[][] = [];
    for (const a of e.actions) {
      const last = statements[statements.length - 1];
      if (last && last[0]!.statement === a.statement && a.statement !== undefined) last.push(a);
      else statements.push([a]);
    }
    if (statements.length === 0) return;
    for (const text of descriptions(clause)) {
      out += `\nDisassembly of ${descriptionFields(text)}\n`;
      for (const st of statements) {
        if (e.predicate) out += `\nPredicate ${objectHeader(e.predicate)}\n${body(e.predicate)}`;
        const fmtIndex = st.find((a) => a.format !== undefined)?.format;
        const format = fmtIndex === undefined ? undefined : program.formats[fmtIndex];
        for (const a of st) out += action(a, format);
      }
    }
  });
  return out;
}

/**
 * What `-S` writes to stderr for one compiled program, and the exit status: code generation can
 * still fail (DTrace's D_NOREG ...), which dtrace(1) reports as a compile error.
 */
export function disassemblyReport(result: FrontEndResult, clauses: readonly DesugaredClause[], options: OptionSet, location: Location): { text: string; status: number } {
  let program: CompiledProgram;
  try {
    program = generateProgram(result, clauses, options);
  } catch (e) {
    if (!(e instanceof CodegenError)) throw e;
    return { text: `${codegenErrorText(e, result, location, options)}\n`, status: 1 };
  }
  const analysis = result.analysis!;
  const descriptions = (c: DesugaredClause): string[] =>
    c.addedErrorClause ? ['dtrace:::ERROR'] : (analysis.clauses.find((x) => x.clause === c.origin)?.descriptions ?? c.descriptions.map((d) => d.text));
  return { text: formatDisassembly(program, clauses, descriptions), status: 0 };
}

/** A code generation error as dtrace(1) prints it: a compile error at its line, or a library error. */
export function codegenErrorText(e: CodegenError, result: FrontEndResult, location: Location, options: OptionSet): string {
  if (!e.located) {
    const where = location.kind === 'script' ? `failed to compile script ${location.path}` : `invalid probe specifier ${location.text}`;
    return `dtrace: ${where}: ${e.message}`;
  }
  // The line DTrace's parser had reached: the end of the statement.
  const row = e.span.end.row;
  return formatCompileError(location, { code: e.tag, message: e.message, row, line: result.lines.at(row).line, inPredicate: e.inPredicate }, options.flag('errtags'));
}
