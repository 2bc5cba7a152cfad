// Dereferencing a user-space address in probe context reads kernel memory at that address, not
// the process's: the value is garbage or the access faults. System-call arguments (and pid/USDT
// probe arguments) are user addresses; `copyin()`/`copyinstr()` copy them into scratch first.
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { clauseExpressions, clauseParents } from './walk';
import { strip } from '../analyze/cooked';

/** Providers whose raw arguments are addresses in the traced process. */
function userArgumentProvider(description: string): boolean {
  const provider = description.split(':').length >= 4 ? description.split(':')[0]! : '';
  return provider === 'syscall' || /^pid(\d+|\$target)?$/.test(provider) || /\$target$/.test(provider) || provider.endsWith('*');
}


/** `argN`, `args[N]`, or a cast of one of them: a raw probe argument. */
function rawArgument(e: A.Expr): boolean {
  const s = strip(e);
  if (s.k === 'cast') return rawArgument(s.arg);
  if (s.k === 'ident') return /^arg[0-9]$/.test(s.name);
  if (s.k === 'index') {
    const base = strip(s.base);
    return base.k === 'ident' && base.name === 'args';
  }
  return false;
}

export function checkUserPointerDerefs(c: Compilation, clauses: { clause: A.Clause; descriptions: string[] }[], source: (e: A.Expr) => string): void {
  for (const { clause, descriptions } of clauses) {
    if (!descriptions.some(userArgumentProvider)) continue;
    // Clause-local and thread-local variables that hold a raw argument (`this->p = (char *)arg0`).
    const holders = new Set<string>();
    const holdsUserAddress = (e: A.Expr): boolean => {
      const s = strip(e);
      if (rawArgument(s)) return true;
      if (s.k === 'cast') return holdsUserAddress(s.arg);
      return (s.k === 'this' || s.k === 'self') && holders.has(`${s.k}->${s.name}`);
    };
    const { exprs } = clauseExpressions(clause);
    const parents = clauseParents(clause);
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i]!;
      const parent = parents[i];
      if (e.k === 'assign' && e.op === '=') {
        const l = strip(e.left);
        if ((l.k === 'this' || l.k === 'self') && holdsUserAddress(e.right)) holders.add(`${l.k}->${l.name}`);
      }
      let target: A.Expr | undefined;
      if (e.k === 'unary' && e.op === '*') target = e.arg;
      else if (e.k === 'member' && e.arrow) target = e.base;
      else if (e.k === 'index' && !(strip(e.base).k === 'ident' && (strip(e.base) as A.Ident).name === 'args')) target = e.base;
      else if (e.k === 'stringof') target = e.arg;
      if (!target || !holdsUserAddress(target)) continue;
      target = strip(target);
      // `copyin(...)`/`copyinstr(...)` around it means the user copied it first.
      if (parent && parent.k === 'call' && strip(parent.fn).k === 'ident' && /^copyin/.test((strip(parent.fn) as A.Ident).name)) continue;
      const copy = e.k === 'stringof' ? `copyinstr(${source(target)})` : `copyin(${source(target)}, sizeof (...))`;
      c.warn(
        'DTVM_USER_DEREF',
        e.span,
        `${source(target)} is an address in the traced process, but this reads kernel memory at that address: copy it in first, e.g. ${copy}`,
      );
    }
  }
}
