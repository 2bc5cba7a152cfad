// Prints clauses (typically desugared ones) back as D text, for `dtvm -d` and the editor's
// "show desugared clauses".
import type * as A from '../parse/ast';

const PRECEDENCE: Record<string, number> = {
  '*': 13, '/': 13, '%': 13, '+': 12, '-': 12, '<<': 11, '>>': 11, '<': 10, '<=': 10, '>': 10, '>=': 10,
  '==': 9, '!=': 9, '&': 8, '^': 7, '|': 6, '&&': 5, '^^': 4, '||': 3,
};

export function printExpr(e: A.Expr, source: string): string {
  return expr(e, source, 0);
}

function expr(e: A.Expr, src: string, outer: number): string {
  const wrap = (s: string, p: number): string => (p < outer ? `(${s})` : s);
  switch (e.k) {
    case 'paren':
      return `(${expr(e.arg, src, 0)})`;
    case 'self':
      return `self->${e.name}`;
    case 'this':
      return `this->${e.name}`;
    case 'binary': {
      const p = PRECEDENCE[e.op] ?? 1;
      return wrap(`${expr(e.left, src, p)} ${e.op} ${expr(e.right, src, p + 1)}`, p);
    }
    case 'unary':
      return wrap(`${e.op}${expr(e.arg, src, 14)}`, 14);
    case 'assign':
      return wrap(`${expr(e.left, src, 2)} ${e.op} ${expr(e.right, src, 1)}`, 1);
    case 'int':
    case 'char':
    case 'string':
    case 'float':
      return e.text;
    case 'ident':
      return e.name;
    default:
      // Everything the desugarer does not build comes verbatim from the user's text.
      return src.slice(e.span.startIndex, e.span.endIndex);
  }
}

function stmt(s: A.Stmt, src: string, indent: string): string[] {
  switch (s.k) {
    case 'expr':
      return [`${indent}${printExpr(s.expr, src)};`];
    case 'block':
      return s.body.flatMap((x) => stmt(x, src, indent));
    case 'empty':
      return [];
    default:
      return [`${indent}${src.slice(s.span.startIndex, s.span.endIndex)}`];
  }
}

export function printClauses(clauses: A.Clause[], source: string): string {
  return clauses
    .map((c) => {
      const head = c.descriptions.map((d) => d.text).join(',\n');
      const pred = c.predicate ? `\n/${printExpr(c.predicate, source)}/` : '';
      const body = (c.body ?? []).flatMap((s) => stmt(s, source, '\t'));
      return `${head}${pred}\n{\n${body.join('\n')}${body.length ? '\n' : ''}}\n`;
    })
    .join('\n');
}
