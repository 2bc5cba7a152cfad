// Every mention of a named thing in a D program, found by one walk of its AST: variables in
// their three scopes, aggregations, inlines, typedefs, tags, translators, enumerators, built-ins,
// macro variables, struct members and the four fields of each probe description. The language
// features (hover, references, rename, semantic tokens ...) all read these.
import type * as A from '../../parse/ast';

export type SymbolKind =
  | 'global'
  | 'thread'
  | 'clause'
  | 'aggregation'
  | 'inline'
  | 'typedef'
  | 'tag'
  | 'translator'
  | 'enumerator'
  | 'param'
  | 'builtin'
  | 'builtinArray'
  | 'function'
  | 'macro'
  | 'member'
  | 'probeProvider'
  | 'probeModule'
  | 'probeFunction'
  | 'probeName';

/** definition: a declaration or definition; write: an assignment or `++`; read: any other use. */
export type Role = 'definition' | 'write' | 'read';

export interface Occurrence {
  kind: SymbolKind;
  /** The name as written (`x` for `self->x`, `a` for `@a`, `$1`, `struct foo` for a tag). */
  name: string;
  /** What makes two occurrences the same symbol (clause-locals include their clause). */
  key: string;
  role: Role;
  /** The source range of the name only (an aggregation's includes its `@`). */
  start: number;
  end: number;
  /** Index of the clause among the program's clauses; -1 outside clauses. */
  clause: number;
  /** The expression whose type the analysis recorded for this mention, if any. */
  expr?: A.Expr;
  /** For a probe field, the description it belongs to; for a translator, its definition. */
  description?: A.ProbeDescAst;
  translator?: A.TranslatorDef;
}

/** How a bare identifier resolves, in DTrace's order (inline, built-in, function, enumerator, variable). */
export interface NameResolver {
  identifier(name: string): 'inline' | 'builtin' | 'builtinArray' | 'function' | 'enumerator' | 'global';
}

/** The key of a clause-local: per clause, unless a top-level `this` declaration shares it. */
export function clauseKey(name: string, clause: number, shared: ReadonlySet<string>): string {
  return shared.has(name) ? `clause:*:${name}` : `clause:${clause}:${name}`;
}

/** The name a type gives a translator's output: `psinfo_t`, `struct foo` (pointers stripped). */
export function typeKeyOf(t: A.TypeName): string | undefined {
  const b = t.specs.base;
  if (!b) return undefined;
  if (b.k === 'typedefName') return b.name;
  if (b.k === 'sou') return b.tag ? `${b.kind} ${b.tag}` : undefined;
  if (b.k === 'enum') return b.tag ? `enum ${b.tag}` : undefined;
  return b.words.join(' ');
}

const KEYED: Partial<Record<SymbolKind, string>> = {
  global: 'global',
  thread: 'thread',
  aggregation: 'agg',
  inline: 'inline',
  typedef: 'typedef',
  tag: 'tag',
  enumerator: 'enum',
  builtin: 'builtin',
  builtinArray: 'builtin',
  function: 'function',
  macro: 'macro',
  member: 'member',
};

export class OccurrenceCollector {
  readonly occurrences: Occurrence[] = [];
  /** Clause-local names declared at top level (`this int x;`): one variable for every clause. */
  readonly sharedLocals = new Set<string>();
  private clause = -1;
  private params: { names: Set<string>; scope: string } | undefined;

  constructor(
    private readonly text: string,
    private readonly names: NameResolver,
  ) {}

  program(p: A.Program): this {
    // Top-level `this` declarations first: they decide how every clause-local is keyed.
    for (const item of p.items) {
      if (item.k === 'declaration' && item.specs.storage.includes('this'))
        for (const d of item.declarators) {
          const n = declaratorName(d);
          if (n) this.sharedLocals.add(n.name);
        }
    }
    let clauses = 0;
    for (const item of p.items) {
      switch (item.k) {
        case 'clause':
          this.clause = clauses++;
          this.clauseItem(item);
          this.clause = -1;
          break;
        case 'declaration':
          this.declaration(item);
          break;
        case 'inline':
          this.inlineItem(item);
          break;
        case 'translator':
          this.translatorItem(item);
          break;
        case 'provider':
          for (const probe of item.probes) for (const param of [...probe.params, ...(probe.xlated ?? [])]) this.specs(param.specs);
          break;
        case 'control':
          break;
      }
    }
    return this;
  }

  private add(o: Omit<Occurrence, 'key' | 'clause'> & { key?: string }): void {
    const key = o.key ?? `${KEYED[o.kind] ?? o.kind}:${o.name}`;
    this.occurrences.push({ ...o, key, clause: this.clause });
  }

  private clauseItem(c: A.Clause): void {
    for (const d of c.descriptions) this.description(d);
    if (c.predicate) this.expr(c.predicate);
    for (const s of c.body ?? []) this.statement(s);
  }

  /** `provider:module:function:name`, fewer fields being the rightmost ones. */
  private description(d: A.ProbeDescAst): void {
    if (d.id !== undefined) return;
    const fields = d.text.split(':');
    if (fields.length > 4) return;
    const kinds: SymbolKind[] = ['probeProvider', 'probeModule', 'probeFunction', 'probeName'].slice(4 - fields.length) as SymbolKind[];
    let at = d.span.startIndex;
    fields.forEach((f, i) => {
      if (f !== '') this.add({ kind: kinds[i]!, name: f, role: 'read', start: at, end: at + f.length, description: d, key: `${kinds[i]}:${f}` });
      at += f.length + 1;
    });
  }

  private declaration(d: A.Declaration): void {
    this.specs(d.specs);
    const storage = d.specs.storage;
    const kind: SymbolKind = d.typedef ? 'typedef' : storage.includes('self') ? 'thread' : storage.includes('this') ? 'clause' : 'global';
    for (const decl of d.declarators) this.declarator(decl, kind, 'definition');
  }

  private declarator(d: A.Declarator, kind: SymbolKind, role: Role): void {
    switch (d.k) {
      case 'name': {
        const key = kind === 'clause' ? clauseKey(d.name, this.clause, this.sharedLocals) : undefined;
        this.add({ kind, name: d.name, role, start: d.span.startIndex, end: d.span.startIndex + d.name.length, ...(key ? { key } : {}) });
        return;
      }
      case 'abstract':
        return;
      case 'pointer':
        return this.declarator(d.inner, kind, role);
      case 'array':
        this.declarator(d.inner, kind, role);
        if (d.size) this.expr(d.size);
        for (const k of d.keys ?? []) this.typeName(k);
        return;
      case 'function':
        this.declarator(d.inner, kind, role);
        for (const p of d.params) this.specs(p.specs);
        return;
      case 'bitfield':
        this.declarator(d.inner, kind, role);
        this.expr(d.width);
        return;
    }
  }

  private specs(s: A.DeclSpecs): void {
    if (s.base) this.baseSpec(s.base);
    for (const b of s.extraSpecifiers) this.baseSpec(b);
  }

  private baseSpec(b: A.BaseSpec): void {
    switch (b.k) {
      case 'words':
        return;
      case 'typedefName':
        this.add({ kind: 'typedef', name: b.name, role: 'read', start: b.span.startIndex, end: b.span.startIndex + b.name.length });
        return;
      case 'sou':
      case 'enum': {
        const keyword = b.k === 'enum' ? 'enum' : b.kind;
        if (b.tag) {
          const at = this.tagStart(b.span.startIndex, b.tag);
          if (at !== undefined)
            this.add({ kind: 'tag', name: `${keyword} ${b.tag}`, role: b.k === 'enum' ? (b.enumerators ? 'definition' : 'read') : b.members ? 'definition' : 'read', start: at, end: at + b.tag.length });
        }
        if (b.k === 'sou')
          for (const f of b.members ?? []) {
            this.specs(f.specs);
            for (const d of f.declarators) {
              const n = declaratorName(d);
              if (n) this.add({ kind: 'member', name: n.name, role: 'definition', start: n.span.startIndex, end: n.span.startIndex + n.name.length });
            }
          }
        else
          for (const e of b.enumerators ?? []) {
            this.add({ kind: 'enumerator', name: e.name, role: 'definition', start: e.span.startIndex, end: e.span.startIndex + e.name.length });
            if (e.value) this.expr(e.value);
          }
        return;
      }
    }
  }

  /** Where a tag's name is within `struct  foo`: after the keyword and blanks (comments are rare here). */
  private tagStart(from: number, tag: string): number | undefined {
    const m = /^(?:struct|union|enum)\s+/.exec(this.text.slice(from, from + 64));
    if (!m) return undefined;
    const at = from + m[0].length;
    return this.text.startsWith(tag, at) ? at : undefined;
  }

  /** A type as written in a cast, sizeof, xlate or key list: its names are not variables. */
  private typeName(t: A.TypeName): void {
    this.specs(t.specs);
    this.abstractDeclarator(t.declarator);
  }

  private abstractDeclarator(d: A.Declarator): void {
    switch (d.k) {
      case 'name':
      case 'abstract':
        return;
      case 'array':
        if (d.size) this.expr(d.size);
        for (const k of d.keys ?? []) this.typeName(k);
        return this.abstractDeclarator(d.inner);
      case 'function':
        for (const p of d.params) this.specs(p.specs);
        return this.abstractDeclarator(d.inner);
      case 'bitfield':
        this.expr(d.width);
        return this.abstractDeclarator(d.inner);
      case 'pointer':
        return this.abstractDeclarator(d.inner);
    }
  }

  /** `inline T name = v;` and inline arrays `inline T name[int k] = v;`, whose key names are parameters. */
  private inlineItem(item: A.InlineDef): void {
    this.specs(item.specs);
    const name = declaratorName(item.declarator);
    if (name) this.add({ kind: 'inline', name: name.name, role: 'definition', start: name.span.startIndex, end: name.span.startIndex + name.name.length });
    const scope = `param:${item.span.startIndex}:`;
    const names = new Set<string>();
    for (let d: A.Declarator | undefined = item.declarator; d && d.k !== 'name' && d.k !== 'abstract'; d = d.inner) {
      if (d.k !== 'array') continue;
      if (d.size) this.expr(d.size);
      for (const k of d.keys ?? []) {
        this.specs(k.specs);
        const p = declaratorName(k.declarator);
        if (!p) continue;
        names.add(p.name);
        this.add({ kind: 'param', name: p.name, key: scope + p.name, role: 'definition', start: p.span.startIndex, end: p.span.startIndex + p.name.length });
      }
    }
    this.params = names.size > 0 ? { names, scope } : undefined;
    this.expr(item.value);
    this.params = undefined;
  }

  private translatorItem(t: A.TranslatorDef): void {
    this.typeName(t.output);
    this.specs(t.input.specs);
    const out = typeKeyOf(t.output);
    const param = declaratorName(t.input.declarator);
    const scope = `param:${t.span.startIndex}:`;
    if (out !== undefined) {
      // The translator itself has no name: its output type names it (`translator psinfo_t < ... >`).
      const b = t.output.specs.base!;
      const start = b.k === 'sou' || b.k === 'enum' ? (this.tagStart(b.span.startIndex, b.tag ?? '') ?? b.span.startIndex) : b.span.startIndex;
      const name = b.k === 'sou' || b.k === 'enum' ? (b.tag ?? out) : out;
      this.add({ kind: 'translator', name: out, key: `translator:${out}`, role: 'definition', start, end: start + name.length, translator: t });
    }
    if (param) this.add({ kind: 'param', name: param.name, key: scope + param.name, role: 'definition', start: param.span.startIndex, end: param.span.startIndex + param.name.length });
    this.params = param ? { names: new Set([param.name]), scope } : undefined;
    for (const m of t.members) {
      this.add({ kind: 'member', name: m.name, role: 'definition', start: m.nameSpan.startIndex, end: m.nameSpan.startIndex + m.name.length });
      this.expr(m.value);
    }
    this.params = undefined;
  }

  private statement(s: A.Stmt): void {
    switch (s.k) {
      case 'expr':
        return this.expr(s.expr);
      case 'block':
        for (const x of s.body) this.statement(x);
        return;
      case 'if':
        this.expr(s.test);
        this.statement(s.then);
        if (s.else) this.statement(s.else);
        return;
      case 'loop':
        if (s.init) this.expr(s.init);
        if (s.test) this.expr(s.test);
        if (s.update) this.expr(s.update);
        this.statement(s.body);
        return;
      default:
        return;
    }
  }

  private expr(e: A.Expr, role: Role = 'read'): void {
    switch (e.k) {
      case 'int':
      case 'char':
      case 'string':
      case 'float':
      case 'error':
        return;
      case 'ident':
        return this.identifier(e, role);
      case 'macro':
        this.add({ kind: 'macro', name: e.name, role: 'read', start: e.span.startIndex, end: e.span.endIndex, expr: e });
        return;
      case 'self':
        this.add({ kind: 'thread', name: e.name, role, start: e.nameSpan.startIndex, end: e.nameSpan.endIndex, expr: e });
        return;
      case 'this':
        this.add({ kind: 'clause', name: e.name, key: clauseKey(e.name, this.clause, this.sharedLocals), role, start: e.nameSpan.startIndex, end: e.nameSpan.endIndex, expr: e });
        return;
      case 'agg':
        this.add({ kind: 'aggregation', name: e.name.replace(/^@/, ''), role, start: e.span.startIndex, end: e.span.endIndex, expr: e });
        return;
      case 'assign':
        this.expr(e.left, 'write');
        this.expr(e.right);
        return;
      case 'update':
        return this.expr(e.arg, 'write');
      case 'index':
        // `a[k] = v` writes a's element; the keys are read.
        this.expr(e.base, role === 'write' ? 'write' : 'read');
        for (const i of e.indices) this.expr(i);
        return;
      case 'member':
        this.expr(e.base);
        this.add({ kind: 'member', name: e.name, role: 'read', start: e.nameSpan.startIndex, end: e.nameSpan.endIndex, expr: e });
        return;
      case 'paren':
        return this.expr(e.arg, role);
      case 'call':
        if (e.fn.k === 'ident' && this.names.identifier(e.fn.name) === 'function') {
          this.add({ kind: 'function', name: e.fn.name, role: 'read', start: e.fn.span.startIndex, end: e.fn.span.endIndex, expr: e });
        } else this.expr(e.fn);
        for (const a of e.args) this.expr(a);
        return;
      case 'sizeofType':
        return this.typeName(e.type);
      case 'offsetof':
        return this.typeName(e.type);
      case 'xlate': {
        this.typeName(e.type);
        const out = typeKeyOf(e.type);
        if (out !== undefined) {
          // `xlate <T>`: the translator is named where its output type is written.
          const b = e.type.specs.base!;
          const start = b.k === 'sou' || b.k === 'enum' ? (this.tagStart(b.span.startIndex, b.tag ?? '') ?? b.span.startIndex) : b.span.startIndex;
          const length = b.k === 'sou' || b.k === 'enum' ? (b.tag ?? '').length : out.length;
          // The type name occurrence stays (hover shows the type); the translator is looked up by key.
          this.add({ kind: 'translator', name: out, key: `translator:${out}`, role: 'read', start, end: start + length, expr: e });
        }
        return this.expr(e.arg);
      }
      case 'cast':
        this.typeName(e.type);
        return this.expr(e.arg);
      default:
        for (const c of exprChildren(e)) this.expr(c);
        return;
    }
  }

  private identifier(e: A.Ident, role: Role): void {
    if (this.params?.names.has(e.name)) {
      this.add({ kind: 'param', name: e.name, key: this.params.scope + e.name, role, start: e.span.startIndex, end: e.span.endIndex, expr: e });
      return;
    }
    if (e.name.includes('`')) return;
    const kind = this.names.identifier(e.name);
    this.add({ kind, name: e.name, role, start: e.span.startIndex, end: e.span.endIndex, expr: e });
  }
}

function exprChildren(e: A.Expr): A.Expr[] {
  switch (e.k) {
    case 'unary':
    case 'sizeofExpr':
    case 'stringof':
      return [e.arg];
    case 'binary':
    case 'comma':
      return [e.left, e.right];
    case 'cond':
      return [e.test, e.then, e.else];
    default:
      return [];
  }
}

export function declaratorName(d: A.Declarator): { name: string; span: A.Span } | undefined {
  switch (d.k) {
    case 'name':
      return { name: d.name, span: d.span };
    case 'abstract':
      return undefined;
    default:
      return declaratorName(d.inner);
  }
}
