// Logpoints: the breakpoint's message is the argument list of a D printf() (`"fd=%d\n", arg0`),
// compiled in the script's context like any expression; each argument's DIF runs against the
// paused firing and the format is applied to the values here (nothing goes through the
// principal buffer, so a logpoint never changes what the script itself prints or drops).
import { ACT, type ActionDesc } from '../../codegen/program';
import type { Difo } from '../../dif/difo';
import type { ExpressionCompiler } from './evaluate';

type Run = (difo: Difo) => bigint | { message: string };

interface ArgValue {
  value: bigint;
  /** The string a string argument's address points at. */
  text?: string;
}

/**
 * The logpoint's text at this firing; with no `run`, only checks that the message compiles
 * (returns an empty text).
 */
export function formatLogMessage(compiler: ExpressionCompiler, message: string, probe: string, run: Run | undefined, read?: (addr: bigint) => string): { text: string } | { message: string } {
  const compiled = compiler.compileStatement(`printf(${message});`, probe);
  if ('message' in compiled) return compiled;
  const actions = compiled.enabling.actions;
  const first = actions.find((a) => a.kind === ACT.PRINTF);
  if (first === undefined || first.format === undefined) return { message: 'not a printf() argument list' };
  const format = compiled.program.formats[first.format] ?? '';
  if (run === undefined) return { text: '' };
  const values: ArgValue[] = [];
  for (const a of actions.slice(actions.indexOf(first))) {
    if (a.difo === undefined) continue;
    const v = run(a.difo);
    if (typeof v !== 'bigint') return { message: v.message };
    values.push(isString(a) ? { value: v, text: read?.(v) ?? '' } : { value: v });
  }
  return { text: applyFormat(format, values, actions) };
}

function isString(a: ActionDesc): boolean {
  return a.record.k === 'string';
}

/** The C conversions a log message uses, applied to the argument values. */
export function applyFormat(format: string, args: readonly ArgValue[], _actions?: readonly ActionDesc[]): string {
  let next = 0;
  return format.replace(/%([-+ 0#]*)(\d+|\*)?(?:\.(\d+|\*))?(hh|h|ll|l|z|j|t)?([diouxXcspaAeEfgG%])/g, (_m, flags: string, width: string | undefined, precision: string | undefined, _len, conv: string) => {
    if (conv === '%') return '%';
    const w = width === '*' ? Number(args[next++]?.value ?? 0n) : width !== undefined ? Number(width) : 0;
    const p = precision === '*' ? Number(args[next++]?.value ?? 0n) : precision !== undefined ? Number(precision) : undefined;
    const arg = args[next++] ?? { value: 0n };
    let body: string;
    switch (conv) {
      case 'd':
      case 'i':
        body = BigInt.asIntN(64, arg.value).toString();
        break;
      case 'u':
        body = BigInt.asUintN(64, arg.value).toString();
        break;
      case 'x':
        body = (flags.includes('#') ? '0x' : '') + BigInt.asUintN(64, arg.value).toString(16);
        break;
      case 'X':
        body = (flags.includes('#') ? '0X' : '') + BigInt.asUintN(64, arg.value).toString(16).toUpperCase();
        break;
      case 'o':
        body = BigInt.asUintN(64, arg.value).toString(8);
        break;
      case 'c':
        body = String.fromCharCode(Number(arg.value & 0xffn));
        break;
      case 'p':
        body = `0x${BigInt.asUintN(64, arg.value).toString(16)}`;
        break;
      case 's':
        body = arg.text ?? '';
        if (p !== undefined) body = body.slice(0, p);
        break;
      default:
        body = BigInt.asIntN(64, arg.value).toString();
    }
    if (body.length >= w) return body;
    if (flags.includes('-')) return body.padEnd(w);
    return flags.includes('0') && conv !== 's' && conv !== 'c' ? body.padStart(w, '0') : body.padStart(w);
  });
}
