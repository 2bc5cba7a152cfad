// D expressions typed by the user (watch, hover, the debug console, breakpoint conditions)
// compiled in the script's own context: the script is compiled again with one more clause, on
// the paused firing's probe, that traces the expression. Variables and types then resolve
// exactly as in the script (the script's clauses come first, so its variables keep their ids)
// and the clause's DIF runs against the live VM state. An expression that would change state
// (an assignment, ++, a store, a stateful subroutine such as speculation() or strtok(), a
// destructive one) is refused rather than run.
import type { CType } from '../../analyze/types/ctype';
import type { CompiledProgram, Enabling } from '../../codegen/program';
import type { Difo } from '../../dif/difo';
import { indexOf, opcodeOf } from '../../dif/encoding';
import { isDestructiveSubroutine, subroutineCode, subroutineName, type DifPlatform } from '../../dif/subroutines';
import {
  DIF_OP_CALL,
  DIF_OP_STB,
  DIF_OP_STGAA,
  DIF_OP_STGS,
  DIF_OP_STH,
  DIF_OP_STLS,
  DIF_OP_STTAA,
  DIF_OP_STTS,
  DIF_OP_STW,
  DIF_OP_STX,
} from '../../dif/opcodes';
import type { Parser } from '../../parse/dParser';
import { compileScript, type CompiledScript, type ScriptRequest } from './compile';

export interface CompiledExpression {
  difo: Difo;
  type: CType | undefined;
}

const STORES = new Set([DIF_OP_STGS, DIF_OP_STTS, DIF_OP_STGAA, DIF_OP_STTAA, DIF_OP_STLS, DIF_OP_STB, DIF_OP_STH, DIF_OP_STW, DIF_OP_STX]);

/** Subroutines whose call changes the run's state: a speculation buffer taken, strtok()'s position. */
const STATEFUL_SUBROUTINES = ['speculation', 'strtok'];

/**
 * Why running this DIF would change the run's state (a store to a variable or memory, a call
 * of a stateful or destructive subroutine), or undefined when it only reads.
 */
export function stateChange(difo: Difo, platform?: DifPlatform): string | undefined {
  const stateful = new Set(STATEFUL_SUBROUTINES.map((n) => subroutineCode(n, platform)).filter((c) => c !== undefined));
  for (const word of difo.instructions) {
    const op = opcodeOf(word);
    if (STORES.has(op)) return 'an assignment';
    if (op !== DIF_OP_CALL) continue;
    const code = indexOf(word);
    if (stateful.has(code) || isDestructiveSubroutine(code)) return `a call of ${subroutineName(code, platform)}()`;
  }
  return undefined;
}

export class ExpressionCompiler {
  private readonly cache = new Map<string, CompiledExpression | { message: string }>();
  private readonly statements = new Map<string, { enabling: Enabling; program: CompiledProgram } | { message: string }>();

  constructor(
    private readonly parser: Parser,
    private readonly script: ScriptRequest,
  ) {}

  /** The expression's DIF for firings of `probe` (provider:module:function:name), or why it cannot be evaluated. */
  compile(expression: string, probe: string): CompiledExpression | { message: string } {
    const key = `${probe}\u0000${expression}`;
    let got = this.cache.get(key);
    if (got === undefined) {
      got = this.compileNew(expression, probe);
      this.cache.set(key, got);
    }
    return got;
  }

  /** A statement (`printf(...)`) compiled as the last clause, for firings of `probe`: its enabling, or why it does not compile. */
  compileStatement(statement: string, probe: string): { enabling: Enabling; program: CompiledProgram } | { message: string } {
    const key = `${probe}\u0000;${statement}`;
    let got = this.statements.get(key);
    if (got === undefined) {
      const r = this.compileClause(statement, probe);
      got = 'message' in r ? r : { enabling: r.program.enablings[r.program.enablings.length - 1]!, program: r.program };
      this.statements.set(key, got);
    }
    return got;
  }

  private compileClause(body: string, probe: string): CompiledScript | { message: string } {
    // The added text on lines of its own so that an error in it is reported there.
    const text = `${this.script.text}\n${probe}\n{\n${body}\n}\n`;
    const firstLine = this.script.text.split('\n').length + 3;
    const r = compileScript(this.parser, { ...this.script, text });
    if (!r.ok) {
      const p = r.problems[0]!;
      // Errors in the added lines keep just the message; anything else is unexpected.
      return { message: p.line >= firstLine ? p.message : `${p.line}:${p.column}: ${p.message}` };
    }
    return r.script;
  }

  private compileNew(expression: string, probe: string): CompiledExpression | { message: string } {
    if (/^\s*$/.test(expression)) return { message: 'no expression' };
    const r = this.compileClause(`trace(\n${expression}\n);`, probe);
    if ('message' in r) return r;
    const { program, result } = r;
    const last = program.enablings[program.enablings.length - 1];
    const action = last?.actions[0];
    if (last === undefined || action?.difo === undefined) return { message: 'the expression has no value' };
    const change = stateChange(action.difo, program.platform);
    if (change !== undefined) return { message: `the expression changes state (${change}): only side-effect-free expressions are evaluated` };
    const clause = result.analysis!.clauses[result.analysis!.clauses.length - 1]!.clause;
    const stmt = clause.body?.[0];
    const call = stmt?.k === 'expr' ? stmt.expr : undefined;
    const arg = call !== undefined && 'args' in call ? (call as { args: unknown[] }).args[0] : undefined;
    const type = arg !== undefined ? result.analysis!.compilation.typed.get(arg as never)?.type : undefined;
    return { difo: action.difo, type };
  }
}
