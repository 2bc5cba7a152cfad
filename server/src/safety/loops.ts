// Loops and jumps: D has none, by design (probe context must terminate by construction). DTrace
// reports them as syntax errors; we keep its tag and text and say why, and what to write
// instead. With `-x boundedloops=N` (our extension, after OpenDTrace's proposal) a `for` loop
// with a constant bound of at most N iterations is accepted and unrolled.
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { cook } from '../analyze/expressions';
import { clauseExpressions } from './walk';

const WHY =
  'D has no loops: a probe may fire in any kernel context, so every clause must finish in bounded time, and the DIF verifier rejects backward branches.';
const INSTEAD =
  'Unroll the loop into repeated statements (guarded with `?:` or predicates), or let a `tick-N` or `profile-N` probe drive one step per firing, keeping the loop state in globals or `self->` variables.';

export function checkLoops(c: Compilation, clause: A.Clause): void {
  for (const s of clauseExpressions(clause).loopsAndJumps) {
    if (s.k === 'loop') {
      if (s.keyword === 'for' && c.settings.boundedLoops > 0) {
        const bound = constantBound(c, s);
        if (typeof bound === 'number') {
          if (bound <= c.settings.boundedLoops) continue;
          c.attempt(() =>
            c.error('D_SYNTAX', s.span, `syntax error near "for"`, undefined, undefined),
          );
          c.diagnostics[c.diagnostics.length - 1]!.detail = `This loop runs ${bound} times, more than the bounded-loop limit of ${c.settings.boundedLoops} (-x boundedloops).`;
          continue;
        }
        c.attempt(() => c.error('D_SYNTAX', s.span, `syntax error near "for"`));
        c.diagnostics[c.diagnostics.length - 1]!.detail = `A bounded loop needs the form \`for (i = A; i < B; i++)\` with constant A and B: ${bound}.`;
        continue;
      }
      c.attempt(() => c.error('D_SYNTAX', s.span, `syntax error near "${s.keyword}"`));
      c.diagnostics[c.diagnostics.length - 1]!.detail = `${WHY} ${INSTEAD}${s.keyword === 'for' ? ' A `for` loop with a constant bound can be accepted and unrolled with `-x boundedloops=N`.' : ''}`;
    } else if (s.k === 'jump') {
      c.attempt(() => c.error('D_SYNTAX', s.span, `syntax error near "${s.keyword}"`));
      c.diagnostics[c.diagnostics.length - 1]!.detail =
        s.keyword === 'switch' || s.keyword === 'case' || s.keyword === 'default'
          ? '`switch` is reserved in D but has no meaning: write one clause per case with a predicate, or `if`/`else`.'
          : `\`${s.keyword}\` is reserved in D but has no meaning: a clause runs from top to bottom; use predicates (or \`if\`) to skip statements.`;
    }
  }
}

/** The iteration count of `for (i = A; i < B; i++)`, or why it is not a constant bound. */
function constantBound(c: Compilation, s: Extract<A.Stmt, { k: 'loop' }>): number | string {
  const init = s.init;
  const test = s.test;
  const update = s.update;
  if (!init || init.k !== 'assign' || init.op !== '=') return 'the initialisation must assign a constant';
  if (!test || test.k !== 'binary' || !['<', '<=', '!='].includes(test.op)) return 'the condition must compare with `<`, `<=` or `!=`';
  const start = constantOf(c, init.right);
  const end = constantOf(c, test.right);
  if (start === undefined || end === undefined) return 'the bounds are not compile-time constants';
  let step = 0n;
  if (update?.k === 'update' && update.op === '++') step = 1n;
  else if (update?.k === 'assign' && update.op === '+=') step = constantOf(c, update.right) ?? 0n;
  if (step <= 0n) return 'the update must be `i++` or `i += constant`';
  const span = end - start + (test.op === '<=' ? 1n : 0n);
  return span <= 0n ? 0 : Number((span + step - 1n) / step);
}

function constantOf(c: Compilation, e: A.Expr): bigint | undefined {
  let v: bigint | undefined;
  c.attempt(() => {
    v = cook(c, e).constant;
  });
  return v;
}
