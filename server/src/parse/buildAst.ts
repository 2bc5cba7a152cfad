// Builds the D AST (ast.ts) from the plain copy of the tree-sitter tree. Syntax errors are not
// this module's business (syntaxErrors.ts reports them); it turns what it cannot read into
// `error` nodes so that analysis of the rest can go on.
import type * as A from './ast';
import { movedItems, type PNode } from './plainTree';

export function buildAst(root: PNode, text: string): A.Program {
  return new Builder(text).program(root);
}

/**
 * A copy of a piece of the text that does not keep the whole text alive: an item's AST
 * outlives the text it was built from once an incremental copy reuses it, and V8 makes a
 * slice of 13 or more characters a view into its parent. (Slicing a concatenation makes V8
 * flatten it into a new string first.)
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** The AST item of each top-level node of the copies built so far (null: none). */
const builtItems = new WeakMap<PNode, A.TopLevel | null>();

/**
 * The AST of a top-level node copied from an earlier item an edit moved (plainTree.ts): the
 * earlier item's AST, every span moved in place (same text, so the same tree; same starting
 * column, so the same columns inside). The same objects: what the editor's earlier
 * compilations found out about them (node facts, clause records: analyze/clauseReuse.ts) stays
 * theirs, and no copy is made. The earlier item belongs to the earlier version of the text,
 * which nobody reads once a later one is built (the language server retires it).
 */
function movedItem(n: PNode, reused: ReadonlySet<PNode>): A.TopLevel | null | undefined {
  const moved = movedItems.get(n);
  if (moved === undefined) return undefined;
  const before = builtItems.get(moved.from);
  if (before === undefined) return undefined;
  let item = before;
  // The same text may also stand where it was (the edit repeated it): that item keeps it, this one gets a copy.
  if (item !== null && reused.has(moved.from)) item = movedValue(item, moved.delta, moved.rows) as A.TopLevel;
  else if (item !== null) moveSpans(item, spansOf(item), moved.delta, moved.rows);
  builtItems.set(n, item);
  // The earlier node is not built again (its copy is retired), and a moved copy may keep it
  // alive (plainTree's MovedNode): the link must not keep the AST alive too.
  builtItems.delete(moved.from);
  return item;
}

/**
 * A copy of an AST value with its spans moved (the points a span holds may be shared, and are
 * copied).
 */
function movedValue(v: unknown, delta: number, rows: number): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = movedValue(v[i], delta, rows);
    return out;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.startIndex === 'number' && typeof o.start === 'object') {
    const span = o as unknown as A.Span;
    return {
      // New points even when the rows stay: the original's may be its own, moved in place later.
      start: { row: span.start.row + rows, column: span.start.column },
      end: { row: span.end.row + rows, column: span.end.column },
      startIndex: span.startIndex + delta,
      endIndex: span.endIndex + delta,
    };
  }
  const copy: Record<string, unknown> = {};
  for (const k in o) copy[k] = movedValue(o[k], delta, rows);
  return copy;
}

type MutableSpan = { -readonly [K in keyof A.Span]: A.Span[K] };

/**
 * Every span of an item, found once (an item keeps its span objects when it moves, so an item
 * an edit moves again and again is not walked again). The AST is a tree of plain records and
 * arrays; no record is reached twice: the builder makes every node and span afresh.
 */
const itemSpans = new WeakMap<A.TopLevel, MutableSpan[]>();

function spansOf(item: A.TopLevel): MutableSpan[] {
  let spans = itemSpans.get(item);
  if (spans === undefined) {
    spans = [];
    collectSpans(item, spans);
    itemSpans.set(item, spans);
  }
  return spans;
}

function collectSpans(v: unknown, out: MutableSpan[]): void {
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) collectSpans(v[i], out);
    return;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.startIndex === 'number' && typeof o.start === 'object') {
    out.push(o as unknown as MutableSpan);
    return;
  }
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'object' && x !== null) collectSpans(x, out);
  }
}

/**
 * Items whose spans hold points of their own, one per span end (made by their first move across
 * rows): later moves shift those points in place. A line typed above the clauses of a long
 * document moves every one of them, at every such edit.
 */
const ownPoints = new WeakSet<A.TopLevel>();

type MutablePoint = { row: number; column: number };

/**
 * Moves an item's spans in place. Until the item's points are its own, they may be shared (the
 * tree copy's, several spans'), so the first move across rows replaces them, never writes them.
 */
function moveSpans(item: A.TopLevel, spans: readonly MutableSpan[], delta: number, rows: number): void {
  if (rows !== 0 && ownPoints.has(item)) {
    for (const span of spans) {
      span.startIndex += delta;
      span.endIndex += delta;
      (span.start as MutablePoint).row += rows;
      (span.end as MutablePoint).row += rows;
    }
    return;
  }
  for (const span of spans) {
    span.startIndex += delta;
    span.endIndex += delta;
    if (rows !== 0) {
      span.start = { row: span.start.row + rows, column: span.start.column };
      span.end = { row: span.end.row + rows, column: span.end.column };
    }
  }
  if (rows !== 0) ownPoints.add(item);
}

class Builder {
  constructor(private readonly text: string) {}

  span(n: PNode): A.Span {
    return { start: n.start, end: n.end, startIndex: n.startIndex, endIndex: n.endIndex };
  }

  src(n: PNode): string {
    return detached(this.text.slice(n.startIndex, n.endIndex));
  }

  program(root: PNode): A.Program {
    const items: A.TopLevel[] = [];
    // Top-level nodes an incremental tree copy reused (plainTree.ts): the same text at the same
    // place, so the same AST.
    const reused = new Set<PNode>();
    for (const c of root.children) if (builtItems.has(c)) reused.add(c);
    for (const c of root.children) {
      const built = builtItems.get(c) ?? movedItem(c, reused);
      if (built !== undefined) {
        if (built !== null) items.push(built);
        continue;
      }
      const before = items.length;
      this.topLevel(c, items);
      builtItems.set(c, items.length > before ? items[items.length - 1]! : null);
    }
    return { items, span: this.span(root) };
  }

  topLevel(n: PNode, out: A.TopLevel[]): void {
    switch (n.type) {
      case 'probe_clause':
        out.push(this.clause(n));
        return;
      case 'declaration':
      case 'type_definition':
        out.push(this.declaration(n));
        return;
      case 'inline_definition':
        out.push({
          k: 'inline',
          specs: this.specs(n),
          declarator: this.declarator(fieldChild(n, 'declarator')),
          value: this.expr(fieldChild(n, 'value')),
          span: this.span(n),
        });
        return;
      case 'translator_definition':
        out.push(this.translator(n));
        return;
      case 'provider_definition':
        out.push(this.provider(n));
        return;
      case 'comment':
      case 'interpreter_line':
      case 'ERROR':
      case ';':
        return;
      default:
        if (isControlLine(n.type)) out.push({ k: 'control', text: this.src(n).replace(/\r?\n$/, ''), span: this.span(n) });
    }
  }

  clause(n: PNode): A.Clause {
    const descs = fieldChild(n, 'descriptions');
    const descriptions: A.ProbeDescAst[] = [];
    for (const d of descs ? namedChildren(descs) : []) {
      if (d.type !== 'probe_description') continue;
      const desc: A.ProbeDescAst = { text: this.src(d), span: this.span(d) };
      // A numeric probe id (the node is copied without children: its text says it all).
      if (/^[0-9]+$/.test(desc.text)) desc.id = Number(desc.text);
      descriptions.push(desc);
    }
    const pred = fieldChild(n, 'predicate');
    const body = fieldChild(n, 'body');
    const clause: A.Clause = { k: 'clause', descriptions, span: this.span(n) };
    if (pred) clause.predicate = this.expr(fieldChild(pred, 'condition'));
    if (body) {
      clause.body = this.statements(body);
      clause.bodySpan = this.span(body);
    }
    return clause;
  }

  statements(n: PNode): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const c of n.children) {
      if (!c.named || c.type === 'comment' || isControlLine(c.type)) {
        if (c.type === 'ERROR') out.push({ k: 'error', span: this.span(c) });
        continue;
      }
      out.push(this.statement(c));
    }
    return out;
  }

  statement(n: PNode): A.Stmt {
    const span = this.span(n);
    switch (n.type) {
      case 'expression_statement': {
        const e = firstNamedChild(n);
        return e ? { k: 'expr', expr: this.expr(e), span } : { k: 'empty', span };
      }
      case 'empty_statement':
        return { k: 'empty', span };
      case 'compound_statement':
        return { k: 'block', body: this.statements(n), span };
      case 'if_statement': {
        const alt = fieldChild(n, 'alternative');
        const s: A.Stmt = {
          k: 'if',
          test: this.expr(fieldChild(n, 'condition')),
          then: this.statement(fieldChild(n, 'consequence') ?? n),
          span,
        };
        if (alt) {
          const body = namedChildren(alt).find((c) => c.type !== 'comment');
          if (body) s.else = this.statement(body);
          s.elseSpan = this.span(alt);
        }
        return s;
      }
      case 'for_statement':
      case 'while_statement':
      case 'do_statement': {
        const keyword = n.type.slice(0, n.type.indexOf('_')) as 'for' | 'while' | 'do';
        const loop: A.Stmt = { k: 'loop', keyword, body: this.statement(fieldChild(n, 'body') ?? n), span };
        const init = fieldChild(n, 'initializer');
        const test = fieldChild(n, 'condition');
        const update = fieldChild(n, 'update');
        if (init) loop.init = this.expr(init);
        if (test) loop.test = this.expr(test);
        if (update) loop.update = this.expr(update);
        return loop;
      }
      case 'break_statement':
      case 'continue_statement':
      case 'return_statement':
      case 'goto_statement':
      case 'switch_statement':
        return { k: 'jump', keyword: n.type.slice(0, n.type.indexOf('_')) as 'break', span };
      case 'case_statement':
        return { k: 'jump', keyword: this.src(n).startsWith('default') ? 'default' : 'case', span };
      default:
        return { k: 'error', span };
    }
  }

  expr(n: PNode | undefined): A.Expr {
    if (!n) return { k: 'error', span: { start: { row: 0, column: 0 }, end: { row: 0, column: 0 }, startIndex: 0, endIndex: 0 } };
    const span = this.span(n);
    switch (n.type) {
      case 'integer_literal':
        return { k: 'int', text: this.src(n), span };
      case 'char_literal':
        return { k: 'char', text: this.src(n), span };
      case 'string_literal':
        return { k: 'string', text: this.src(n), span };
      case 'float_literal':
        return { k: 'float', text: this.src(n), span };
      case 'identifier':
        return { k: 'ident', name: this.src(n), span };
      case 'macro_variable':
        return { k: 'macro', name: this.src(n), span };
      case 'aggregation': {
        const name = this.src(n);
        return { k: 'agg', name: name === '@' ? '@_' : name, span };
      }
      case 'thread_local_variable':
      case 'clause_local_variable': {
        const f = fieldChild(n, 'name');
        const name = f ? this.src(f) : '';
        const nameSpan = f ? this.span(f) : span;
        return n.type === 'thread_local_variable' ? { k: 'self', name, nameSpan, span } : { k: 'this', name, nameSpan, span };
      }
      case 'parenthesized_expression': {
        const inner = firstNamedChild(n);
        return { k: 'paren', arg: this.expr(inner), span };
      }
      case 'binary_expression': {
        const op = fieldChild(n, 'operator')!;
        return { k: 'binary', op: op.type, left: this.expr(fieldChild(n, 'left')), right: this.expr(fieldChild(n, 'right')), opSpan: this.span(op), span };
      }
      case 'unary_expression':
      case 'pointer_expression':
        return { k: 'unary', op: fieldChild(n, 'operator')!.type as '+', arg: this.expr(fieldChild(n, 'argument')), span };
      case 'update_expression': {
        const op = fieldChild(n, 'operator')!;
        const arg = fieldChild(n, 'argument')!;
        return { k: 'update', op: op.type as '++', prefix: op.startIndex < arg.startIndex, arg: this.expr(arg), span };
      }
      case 'assignment_expression':
        return { k: 'assign', op: fieldChild(n, 'operator')!.type, left: this.expr(fieldChild(n, 'left')), right: this.expr(fieldChild(n, 'right')), span };
      case 'conditional_expression':
        return {
          k: 'cond',
          test: this.expr(fieldChild(n, 'condition')),
          then: this.expr(fieldChild(n, 'consequence')),
          else: this.expr(fieldChild(n, 'alternative')),
          span,
        };
      case 'comma_expression':
        return { k: 'comma', left: this.expr(fieldChild(n, 'left')), right: this.expr(fieldChild(n, 'right')), span };
      case 'call_expression': {
        const args = fieldChild(n, 'arguments');
        return { k: 'call', fn: this.expr(fieldChild(n, 'function')), args: args ? this.exprs(args) : [], span };
      }
      case 'subscript_expression': {
        const list = fieldChild(n, 'indices');
        return { k: 'index', base: this.expr(fieldChild(n, 'argument')), indices: list ? this.exprs(list) : [], span };
      }
      case 'field_expression': {
        const f = fieldChild(n, 'field');
        const op = fieldChild(n, 'operator');
        return {
          k: 'member',
          base: this.expr(fieldChild(n, 'argument')),
          arrow: op?.type === '->',
          name: f ? this.src(f) : '',
          nameSpan: f ? this.span(f) : span,
          span,
        };
      }
      case 'sizeof_expression': {
        const t = fieldChild(n, 'type');
        return t ? { k: 'sizeofType', type: this.typeName(t), span } : { k: 'sizeofExpr', arg: this.expr(fieldChild(n, 'value')), span };
      }
      case 'stringof_expression':
        return { k: 'stringof', arg: this.expr(fieldChild(n, 'value')), span };
      case 'offsetof_expression': {
        const m = fieldChild(n, 'member');
        return { k: 'offsetof', type: this.typeName(fieldChild(n, 'type')!), member: m ? this.src(m) : '', span };
      }
      case 'xlate_expression':
        return { k: 'xlate', type: this.typeName(fieldChild(n, 'type')!), arg: this.expr(fieldChild(n, 'value')), span };
      case 'cast_expression':
        return { k: 'cast', type: this.typeName(fieldChild(n, 'type')!), arg: this.expr(fieldChild(n, 'value')), span };
      default:
        return { k: 'error', span };
    }
  }

  /** The expressions of an argument or subscript list. */
  exprs(list: PNode): A.Expr[] {
    const out: A.Expr[] = [];
    for (const c of list.children) if (c.named && c.type !== 'comment') out.push(this.expr(c));
    return out;
  }

  // ---- declarations ----

  declaration(n: PNode): A.Declaration {
    return {
      k: 'declaration',
      specs: this.specs(n),
      declarators: fieldChildren(n, 'declarator').map((d) => this.declarator(d)),
      typedef: n.type === 'type_definition',
      span: this.span(n),
    };
  }

  specs(n: PNode): A.DeclSpecs {
    const storage: string[] = [];
    const qualifiers: string[] = [];
    let base: A.BaseSpec | undefined;
    const extraSpecifiers: A.BaseSpec[] = [];
    let first: PNode | undefined;
    let last: PNode | undefined;
    for (const c of n.children) {
      // A second `typedef` is a storage_class_specifier node; the first is the type_definition's.
      if (c.type === 'storage_class_specifier') storage.push(this.src(c));
      else if (c.type === 'type_qualifier') qualifiers.push(this.src(c));
      else if (c.field === 'type') {
        if (base) extraSpecifiers.push(this.baseSpec(c));
        else base = this.baseSpec(c);
      } else continue;
      first ??= c;
      last = c;
    }
    const span = first && last ? { ...this.span(first), end: last.end, endIndex: last.endIndex } : this.span(n);
    return { storage, qualifiers, base, extraSpecifiers, span };
  }

  baseSpec(n: PNode): A.BaseSpec {
    const span = this.span(n);
    switch (n.type) {
      case 'primitive_type':
      case 'sized_type_specifier':
        return { k: 'words', words: this.src(n).split(/\s+/).filter((w) => w !== ''), span };
      case 'type_identifier':
        return { k: 'typedefName', name: this.src(n), span };
      case 'struct_specifier':
      case 'union_specifier': {
        const name = fieldChild(n, 'name');
        const body = fieldChild(n, 'body');
        const spec: A.BaseSpec = { k: 'sou', kind: n.type === 'struct_specifier' ? 'struct' : 'union', span };
        if (name) spec.tag = this.src(name);
        if (body) spec.members = namedChildren(body).filter((c) => c.type === 'field_declaration').map((f) => this.fieldDecl(f));
        return spec;
      }
      case 'enum_specifier': {
        const name = fieldChild(n, 'name');
        const body = fieldChild(n, 'body');
        const spec: A.BaseSpec = { k: 'enum', span };
        if (name) spec.tag = this.src(name);
        if (body)
          spec.enumerators = namedChildren(body)
            .filter((c) => c.type === 'enumerator')
            .map((e) => {
              const v = fieldChild(e, 'value');
              const en: A.Enumerator = { name: this.src(fieldChild(e, 'name')!), span: this.span(e) };
              if (v) en.value = this.expr(v);
              return en;
            });
        return spec;
      }
      default:
        return { k: 'words', words: [], span };
    }
  }

  fieldDecl(n: PNode): A.FieldDecl {
    const declarators: A.Declarator[] = [];
    for (const c of n.children) {
      if (c.field === 'declarator') declarators.push(this.declarator(c));
      else if (c.type === 'bitfield_declarator') declarators.push(this.declarator(c));
    }
    return { specs: this.specs(n), declarators, span: this.span(n) };
  }

  declarator(n: PNode | undefined): A.Declarator {
    if (!n) return { k: 'abstract', span: { start: { row: 0, column: 0 }, end: { row: 0, column: 0 }, startIndex: 0, endIndex: 0 } };
    const span = this.span(n);
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return { k: 'name', name: this.src(n), span };
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        return {
          k: 'pointer',
          qualifiers: n.children.filter((c) => c.type === 'type_qualifier').map((c) => this.src(c)),
          inner: this.innerDeclarator(fieldChild(n, 'declarator'), n),
          span,
        };
      case 'array_declarator':
      case 'abstract_array_declarator': {
        const size = fieldChild(n, 'size');
        const d: A.Declarator = { k: 'array', inner: this.innerDeclarator(fieldChild(n, 'declarator'), n), span };
        if (size?.type === 'array_key_list') {
          const keys = namedChildren(size);
          d.keys = keys.filter((k) => k.type === 'array_key').map((k) => this.typeName(k));
          if (keys.some((k) => k.type === 'variadic_parameter')) d.varargs = true;
        } else if (size) d.size = this.expr(size);
        return d;
      }
      case 'function_declarator':
      case 'abstract_function_declarator': {
        const plist = fieldChild(n, 'parameters');
        const params: A.Param[] = [];
        let varargs = false;
        for (const p of plist ? namedChildren(plist) : []) {
          if (p.type === 'variadic_parameter') varargs = true;
          else if (p.type === 'parameter_declaration') params.push(this.param(p));
        }
        return { k: 'function', inner: this.innerDeclarator(fieldChild(n, 'declarator'), n), params, varargs, span };
      }
      case 'parenthesized_declarator':
      case 'abstract_parenthesized_declarator':
        return this.declarator(namedChildren(n)[0]);
      case 'bitfield_declarator':
        return { k: 'bitfield', inner: this.innerDeclarator(fieldChild(n, 'declarator'), n), width: this.expr(fieldChild(n, 'width')), span };
      default:
        return { k: 'abstract', span };
    }
  }

  innerDeclarator(n: PNode | undefined, outer: PNode): A.Declarator {
    return n ? this.declarator(n) : { k: 'abstract', span: this.span(outer) };
  }

  param(n: PNode): A.Param {
    return { specs: this.specs(n), declarator: this.innerDeclarator(fieldChild(n, 'declarator'), n), span: this.span(n) };
  }

  /** type_descriptor, array_key or parameter-like nodes. */
  typeName(n: PNode): A.TypeName {
    return { specs: this.specs(n), declarator: this.innerDeclarator(fieldChild(n, 'declarator'), n), span: this.span(n) };
  }

  translator(n: PNode): A.TranslatorDef {
    return {
      k: 'translator',
      output: this.typeName(fieldChild(n, 'output')!),
      input: this.param(fieldChild(n, 'input')!),
      members: namedChildren(n)
        .filter((c) => c.type === 'translator_member')
        .map((m) => {
          const name = fieldChild(m, 'member')!;
          return { name: this.src(name), nameSpan: this.span(name), value: this.expr(fieldChild(m, 'value')), span: this.span(m) };
        }),
      span: this.span(n),
    };
  }

  provider(n: PNode): A.ProviderDef {
    const name = fieldChild(n, 'name');
    return {
      k: 'provider',
      name: name ? this.src(name) : '',
      probes: namedChildren(n)
        .filter((c) => c.type === 'probe_declaration')
        .map((p) => {
          const plist = (f: string) => {
            const l = fieldChild(p, f);
            const params: A.Param[] = [];
            let varargs = false;
            for (const c of l ? namedChildren(l) : []) {
              if (c.type === 'variadic_parameter') varargs = true;
              else if (c.type === 'parameter_declaration') params.push(this.param(c));
            }
            return { params, varargs, present: l !== undefined };
          };
          const main = plist('parameters');
          const xl = plist('translated_parameters');
          const probe: A.ProviderDef['probes'][number] = {
            name: this.src(fieldChild(p, 'name')!),
            params: main.params,
            varargs: main.varargs,
            span: this.span(p),
          };
          if (xl.present) probe.xlated = xl.params;
          return probe;
        }),
      span: this.span(n),
    };
  }
}

const CONTROL_LINES = new Set([
  'pragma_directive',
  'error_directive',
  'line_directive',
  'ident_directive',
  'null_directive',
  'preproc_include',
  'preproc_def',
  'preproc_function_def',
  'preproc_undef',
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_endif',
  'preproc_call',
  'control_line',
]);

function fieldChild(node: PNode, field: string): PNode | undefined {
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

function fieldChildren(node: PNode, field: string): PNode[] {
  return node.children.filter((c) => c.field === field);
}

function namedChildren(node: PNode): PNode[] {
  return node.children.filter((c) => c.named && c.type !== 'comment');
}

/** The first named child that is not a comment (namedChildren(n)[0], without the copy). */
function firstNamedChild(n: PNode): PNode | undefined {
  for (const c of n.children) if (c.named && c.type !== 'comment') return c;
  return undefined;
}

export function isControlLine(type: string): boolean {
  return CONTROL_LINES.has(type);
}
