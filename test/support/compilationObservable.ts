// Everything a face reads of a compilation, as text (spans included): what the tests of the
// language server's incremental analysis compare with a compilation made from scratch.
import type { FrontEndResult } from '../../server/src/analyze/frontEnd';
import { typeName, type CType } from '../../server/src/analyze/types/ctype';
import type { Variable } from '../../server/src/analyze/symbols';

/** A variable as editor features and code generation see it: id, type, every reference. */
function variableOf(v: Variable): unknown {
  return { ...v, type: v.type && typeName(v.type), keys: v.keys?.map(typeName) };
}

/**
 * What the compilation found out about each node of the script's AST (types, constants,
 * folded values), in the AST's own order: hover, inlay hints, safety rules and code
 * generation read them, so a reused check must leave them as a fresh one would.
 */
function scriptFacts(r: FrontEndResult): unknown[] {
  const c = r.analysis?.compilation;
  const out: unknown[] = [];
  if (!c) return out;
  const seen = new Set<object>();
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const facts = c.facts(node);
    if (facts) {
      const t = facts.typed;
      const typed = t && { ...t, type: typeName(t.type) };
      const folded = facts.folded && { ...facts.folded, type: typeName(facts.folded.type) };
      out.push({ path, typed, folded: folded ?? facts.folded, parseChecked: facts.parseChecked });
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
  };
  walk(r.program, '');
  return out;
}

/** Everything a face reads of a compilation, as text (spans included). */
export function observable(r: FrontEndResult): string {
  const c = r.analysis?.compilation;
  return JSON.stringify(
    {
      program: r.program,
      syntaxErrors: r.syntaxErrors,
      firstError: r.firstError,
      flavour: r.flavour,
      diagnostics: r.analysis?.diagnostics.map((d) => ({ ...d, located: r.analysis!.locate(d) })),
      clauses: r.analysis?.clauses.map((c) => ({ descriptions: c.descriptions, probes: c.probes.length })),
      variables: c && [c.globals, c.threadLocals, c.clauseLocals].map((t) => t.all().map(variableOf)),
      aggregations: c && [...c.aggregations.values()].map((a) => ({ ...a, keys: a.keys?.map(typeName) })),
      facts: scriptFacts(r),
    },
    (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : isCType(v) ? `type ${typeName(v)}` : v),
  );
}

const CTYPE_KINDS = new Set(['void', 'int', 'float', 'string', 'pointer', 'array', 'struct', 'union', 'enum', 'function', 'typedef']);

/** A type (not an AST node, whose `k` says what it is): written by name, types being cyclic. */
const isCType = (v: unknown): v is CType =>
  typeof v === 'object' && v !== null && !('k' in v) && 'kind' in v && CTYPE_KINDS.has((v as { kind: string }).kind) && namable(v as CType);

/** Other records have a `kind` too (a pointer's, an array's...): only a whole type has a name. */
function namable(t: CType): boolean {
  try {
    typeName(t);
    return true;
  } catch {
    return false;
  }
}
