// Logpoints: the breakpoint's message is the argument list of a D printf() (`"fd=%d\n", arg0`),
// compiled in the script's context like any expression. Each argument's DIF runs against the
// paused firing, its value is made into the record the principal buffer would hold (an integer
// at its size, a string's bytes) and the consumer's own printf code (consume/printfFormat.ts)
// formats them, so a logpoint prints exactly what the same printf() in the script would. Nothing
// goes through the principal buffer (a logpoint never changes what the script prints or drops),
// and a message whose arguments would change state (n++, an assignment, speculation()...) is
// refused when the breakpoint is set.
import { isFormatError, parseFormat, type FormatDirective } from '../../analyze/printf';
import type { OptionSet } from '../../analyze/options/optionSet';
import { ACT, type ActionDesc, type CompiledProgram } from '../../codegen/program';
import { renderFormat, type FormatEnv, type FormatRecord } from '../../consume/printfFormat';
import { bytesToText } from '../../consume/recordValues';
import type { Difo } from '../../dif/difo';
import type { RecordValue } from '../../vm/records';
import { stateChange, type ExpressionCompiler } from './evaluate';

type Run = (difo: Difo) => bigint | { message: string };

/** How a run's values are read: a string argument's bytes at its address. */
export interface LogContext {
  run: Run;
  readString(addr: bigint, max: number): Uint8Array;
  options: OptionSet;
}

/**
 * The logpoint's text at this firing; with no `context`, only checks that the message compiles
 * and changes nothing (returns an empty text).
 */
export function formatLogMessage(compiler: ExpressionCompiler, message: string, probe: string, context: LogContext | undefined): { text: string } | { message: string } {
  const compiled = compiler.compileStatement(`printf(${message});`, probe);
  if ('message' in compiled) return compiled;
  const actions = compiled.enabling.actions;
  const first = actions.findIndex((a) => a.kind === ACT.PRINTF && a.format !== undefined);
  if (first < 0) return { message: 'not a printf() argument list' };
  const args = actions.slice(first);
  for (const a of args) {
    const change = a.difo === undefined ? undefined : stateChange(a.difo, compiled.program.platform);
    if (change !== undefined) return { message: `it changes state (${change}): a logpoint only reads` };
    if (a.record.k !== 'int' && a.record.k !== 'string') return { message: `an argument of type ${a.record.k} cannot be logged` };
  }
  if (context === undefined) return { text: '' };
  const records: FormatRecord[] = [];
  for (const a of args) {
    let value: RecordValue = 0n;
    if (a.difo !== undefined) {
      const v = context.run(a.difo);
      if (typeof v !== 'bigint') return { message: v.message };
      value = recordValue(a, v, context);
    }
    records.push({ value, type: a.record, kind: a.kind, ...(a.arg !== undefined ? { arg: a.arg } : {}) });
  }
  const directives = directivesOf(compiled.program, args[0]!.format!);
  const { text } = renderFormat(directives, records, envOf(context.options));
  return { text: bytesToText(text) };
}

/** The record the principal buffer would hold for this value: an integer at its size, a string's bytes. */
function recordValue(a: ActionDesc, v: bigint, context: LogContext): RecordValue {
  if (a.record.k === 'string') {
    const out = new Uint8Array(a.record.size);
    out.set(context.readString(v, Math.max(0, a.record.size - 1)).subarray(0, Math.max(0, a.record.size - 1)));
    return out;
  }
  const size = a.record.k === 'int' ? a.record.size : 8;
  return BigInt.asUintN(size * 8, v);
}

function directivesOf(program: CompiledProgram, format: number): FormatDirective[] {
  const text = program.formats[format] ?? '';
  const parsed = parseFormat(text, program.platform);
  return isFormatError(parsed) ? [{ kind: 'literal', text, start: 0, end: 0 }] : parsed;
}

function envOf(o: OptionSet): FormatEnv {
  return {
    histogram: { zoom: o.flag('aggzoom'), utf8: o.word('encoding') === 'utf8' },
    stackIndent: o.integer('stackindent') ?? 14,
    rawbytes: o.flag('rawbytes'),
  };
}
