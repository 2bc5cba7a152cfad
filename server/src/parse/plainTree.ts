// One cursor walk copies a tree-sitter tree into plain JavaScript objects. Every later stage
// reads these instead of web-tree-sitter nodes, because each property read of a wasm-backed node
// crosses into wasm and a typed analysis reads every node many times.
import type { Tree, TreeCursor } from 'web-tree-sitter';

export interface Point {
  row: number;
  column: number;
}

export interface PNode {
  type: string;
  /** The field this node fills in its parent, if any. */
  field: string | null;
  named: boolean;
  start: Point;
  end: Point;
  startIndex: number;
  endIndex: number;
  isError: boolean;
  isMissing: boolean;
  children: PNode[];
}

// Facts from the grammar's node-types.json: named node types that never have children, and
// the types that have fields (only their children need their field read).
const NAMED_LEAVES = new Set([
  'aggregation', 'char_literal', 'comment', 'control_line', 'escape_sequence', 'field_identifier', 'float_literal',
  'identifier', 'integer_literal', 'interpreter_line', 'macro_variable', 'option_name', 'option_value',
  'pragma_argument', 'pragma_name', 'pragma_scope', 'preproc_arg', 'preproc_directive', 'probe_field', 'probe_id',
  'string_content', 'system_lib_string', 'type_identifier',
]);
/**
 * Nodes whose children no later stage reads (their text and range suffice): copied without
 * their subtree, which saves a crossing into wasm per child.
 */
const OPAQUE = new Set(['string_literal', 'probe_description', 'pragma_directive', 'error_directive', 'ident_directive', 'comment']);

const NO_FIELDS = new Set([
  'source_file', 'clause_body', 'compound_statement', 'expression_statement', 'argument_list', 'subscript_list',
  'probe_description_list', 'parenthesized_expression', 'string_literal', 'parameter_list', 'field_declaration_list',
  'enumerator_list', 'array_key_list', 'else_clause', 'return_statement', 'empty_statement', 'break_statement',
  'continue_statement', 'macro_argument', 'preproc_params', 'null_directive', 'preproc_else', 'preproc_endif',
  'reserved_word',
]);

/** Parents whose start may come before their first child. */
const OWN_START = new Set(['ERROR', 'macro_argument']);

/**
 * Parents whose end may come after their last child: a control line ends with a hidden token
 * (its newline). Every other parent of a tree without errors ends where its last child ends.
 */
const OWN_END = new Set([
  'ERROR', 'macro_argument', 'pragma_directive', 'null_directive', 'error_directive', 'line_directive', 'ident_directive',
  'preproc_include', 'preproc_def', 'preproc_function_def', 'preproc_undef', 'preproc_if', 'preproc_ifdef', 'preproc_else',
  'preproc_endif', 'preproc_call',
]);

/**
 * The types with fields that put a field on an anonymous token (an operator); in the other
 * types with fields only named children fill fields (node-types.json).
 */
const ANONYMOUS_FIELDS = new Set(['assignment_expression', 'binary_expression', 'field_expression', 'pointer_expression', 'unary_expression', 'update_expression']);

/**
 * Types whose children fill fields by position (facts from grammar.js): in a tree without
 * errors, the k-th child that is not a comment or a control line (the grammar's extras, which
 * may stand anywhere and fill no field) fills the k-th entry. Saves reading the field of
 * every operand from wasm.
 */
const FIELD_LAYOUTS: Record<string, (string | null)[]> = {
  binary_expression: ['left', 'operator', 'right'],
  assignment_expression: ['left', 'operator', 'right'],
  comma_expression: ['left', null, 'right'],
  conditional_expression: ['condition', null, 'consequence', null, 'alternative'],
  field_expression: ['argument', 'operator', 'field'],
  call_expression: ['function', 'arguments'],
  subscript_expression: ['argument', 'indices'],
  unary_expression: ['operator', 'argument'],
  pointer_expression: ['operator', 'argument'],
  thread_local_variable: [null, null, 'name'],
  clause_local_variable: [null, null, 'name'],
};

const EXTRAS = new Set(['comment', 'control_line']);

/** Which children of a type may fill a field: none, the named ones, or any. */
const enum Fields {
  None = 0,
  Named = 1,
  Any = 2,
}

interface LanguageTables {
  types: string[];
  fields: (string | null)[];
  named: boolean[];
  /** Never has children: anonymous tokens and the named leaves. */
  leaf: boolean[];
  /** Which of its children may have fields. */
  childFields: Fields[];
  /** An anonymous token's text is its type name, so its end follows from its start. */
  fixedLength: number[];
  ownStart: boolean[];
  ownEnd: boolean[];
  /** The fields by position (FIELD_LAYOUTS), as the language names them. */
  layout: ((string | null)[] | undefined)[];
  extra: boolean[];
}

const tablesCache = new WeakMap<object, LanguageTables>();

function namesOf(tree: Tree): LanguageTables {
  const language = tree.language;
  let t = tablesCache.get(language);
  if (!t) {
    const types = Array.from({ length: language.nodeTypeCount }, (_, i) => interned(language.nodeTypeForId(i) ?? ''));
    const fields = Array.from({ length: language.fieldCount + 1 }, (_, i) => (i === 0 ? null : interned(language.fieldNameForId(i))));
    const named = types.map((_, i) => language.nodeTypeIsNamed(i));
    const leaf = types.map((type, i) => type !== 'ERROR' && (!named[i] || NAMED_LEAVES.has(type) || OPAQUE.has(type)));
    const childFields = types.map((type) => (NO_FIELDS.has(type) ? Fields.None : ANONYMOUS_FIELDS.has(type) || type === 'ERROR' ? Fields.Any : Fields.Named));
    // Tokens whose text may vary (`#  define`) read their end.
    const fixedLength = types.map((type, i) => (!named[i] && type !== '' && !type.startsWith('#') && !/\s/.test(type) ? type.length : -1));
    const ownStart = types.map((type) => OWN_START.has(type));
    const ownEnd = types.map((type) => OWN_END.has(type));
    const layout = types.map((type) =>
      FIELD_LAYOUTS[type]?.map((name) => {
        if (name === null) return null;
        const id = fields.indexOf(name);
        if (id < 0) throw new Error(`plainTree: the grammar has no field ${name}`);
        return fields[id]!;
      }),
    );
    const extra = types.map((type) => EXTRAS.has(type));
    t = { types, fields, named, leaf, childFields, fixedLength, ownStart, ownEnd, layout, extra };
    tablesCache.set(language, t);
  }
  return t;
}

/**
 * The engine's shared copy of a string (as every literal in the code is): the later stages
 * compare node types and fields with literals, which is then a pointer comparison.
 */
function interned<T extends string | null>(s: T): T {
  if (s === null) return s;
  return Object.keys({ [s]: 0 })[0] as T;
}

/** The children of every leaf: never written to. */
const NO_CHILDREN: PNode[] = Object.freeze([]) as unknown as PNode[];

const NAMED = 1;
const MISSING = 2;

/**
 * Rows and columns of a text's indices, computed when a node's `start` or `end` is read: most
 * nodes' points are never read (only the AST's spans need them), and a copy without them is
 * much smaller (which the garbage collector, copying young objects, is sensitive to).
 */
class LineIndex {
  /** Made when a point is first read: a copy after an edit reads few (only its new nodes'). */
  private lineStarts: number[] | undefined;
  /**
   * The row of every index, made once enough points were read to pay for it (the first copy
   * of a text reads all of them); until then, and for very long texts, rows are searched.
   */
  private rows: Int32Array | undefined;
  private searches = 0;
  // Recently made points by index: nodes that start or end together share one.
  private readonly cachedIndex = new Int32Array(POINT_CACHE).fill(-1);
  private readonly cachedPoint: Point[] = new Array<Point>(POINT_CACHE).fill(ORIGIN);

  constructor(private readonly source: string) {}

  point(index: number): Point {
    const slot = index & (POINT_CACHE - 1);
    if (this.cachedIndex[slot] === index) return this.cachedPoint[slot]!;
    const lineStarts = (this.lineStarts ??= lineStartsOf(this.source));
    const row = this.rows !== undefined && index < this.rows.length ? this.rows[index]! : this.searchRow(index);
    const p = { row, column: index - lineStarts[row]! };
    this.cachedIndex[slot] = index;
    this.cachedPoint[slot] = p;
    return p;
  }

  private searchRow(index: number): number {
    const lineStarts = this.lineStarts!;
    if (++this.searches === ROW_TABLE_AFTER && this.source.length <= ROW_TABLE_LIMIT) {
      const rows = new Int32Array(this.source.length + 1);
      for (let row = 1; row < lineStarts.length; row++) rows.fill(row, lineStarts[row]!, lineStarts[row + 1] ?? rows.length);
      this.rows = rows;
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Searched rows after which the row table is made. */
const ROW_TABLE_AFTER = 4096;
/** Above this length (characters) rows are searched rather than tabled (4 bytes a character). */
const ROW_TABLE_LIMIT = 1 << 22;
const POINT_CACHE = 1024;

/** A node of the copy: its points and flags are read through getters (see LineIndex). */
class PlainNode implements PNode {
  startIndex = 0;
  endIndex = 0;
  /** The children (a prototype accessor, so that a moved copy can make them when first read). */
  protected kids: PNode[] = NO_CHILDREN;

  get children(): PNode[] {
    return this.kids;
  }

  set children(children: PNode[]) {
    this.kids = children;
  }

  constructor(
    readonly type: string,
    readonly field: string | null,
    private readonly flags: number,
    private readonly lines: Lines,
  ) {}

  /** The flags this node was made with (a moved copy takes them). */
  get flagBits(): number {
    return this.flags;
  }

  get named(): boolean {
    return (this.flags & NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.flags & MISSING) !== 0;
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  get start(): Point {
    return this.lines.index.point(this.startIndex);
  }

  /** The line index this node reads its points from (see Lines). */
  get copyLines(): Lines {
    return this.lines;
  }

  get end(): Point {
    return this.lines.index.point(this.endIndex);
  }

  /**
   * A copy of this node, every index of its subtree moved by `delta`, reading its points from
   * `lines`. The subtree is copied only when someone reads it (MovedNode): the AST and lexical
   * errors of a moved item are those of the earlier item, moved (buildAst, lexicalErrors), so
   * typically only the next edit's reuse checks read the copy, and they read the item itself.
   */
  shiftedCopy(delta: number, lines: Lines): PlainNode {
    return new MovedNode(this, delta, lines);
  }

  /** A copy of this node and its subtree, every index moved by `delta` (iterative: expression chains may be deep). */
  deepShiftedCopy(delta: number, lines: Lines): PlainNode {
    const top = new PlainNode(this.type, this.field, this.flags, lines);
    const work: [PlainNode, PlainNode][] = [[this, top]];
    for (let next = work.pop(); next !== undefined; next = work.pop()) {
      const [from, to] = next;
      to.startIndex = from.startIndex + delta;
      to.endIndex = from.endIndex + delta;
      const n = from.children.length;
      if (n === 0) continue;
      const children = new Array<PNode>(n);
      for (let i = 0; i < n; i++) {
        const child = from.children[i] as PlainNode;
        const copy = new PlainNode(child.type, child.field, child.flags, lines);
        children[i] = copy;
        work.push([child, copy]);
      }
      to.children = children;
    }
    return top;
  }
}

/**
 * A node copied from an earlier one an edit moved, its subtree copied (moved) when first read.
 * Moved again, it is a copy of the node it was copied from, moved by both edits: a chain of
 * moves keeps only the first node alive, never the copies in between.
 */
class MovedNode extends PlainNode {
  private materialized: PNode[] | undefined;

  constructor(
    /** The node whose subtree this one's is, moved by `delta`. */
    private readonly base: PlainNode,
    private readonly delta: number,
    lines: Lines,
  ) {
    super(base.type, base.field, base.flagBits, lines);
    this.startIndex = base.startIndex + delta;
    this.endIndex = base.endIndex + delta;
  }

  override get children(): PNode[] {
    return (this.materialized ??= this.base.children.length === 0 ? NO_CHILDREN : this.base.deepShiftedCopy(this.delta, this.copyLines).children);
  }

  override set children(children: PNode[]) {
    this.materialized = children;
  }

  /** Whether it has children, without copying them. */
  get hasChildren(): boolean {
    return (this.materialized ?? this.base.children).length > 0;
  }

  override shiftedCopy(delta: number, lines: Lines): PlainNode {
    return this.materialized !== undefined ? super.shiftedCopy(delta, lines) : new MovedNode(this.base, this.delta + delta, lines);
  }
}

/**
 * The line index the nodes of a copy read their points from. Copies that reuse items of an
 * earlier copy share it with that copy, and point it at their own text: a reused item has the
 * same points in both texts, and the earlier copy is not read again.
 */
interface Lines {
  index: LineIndex;
  text: string;
  /** Every range was read from tree-sitter (the tree had errors). */
  exact: boolean;
  /** The root of the copy the lines are for. */
  root: PNode | undefined;
}

/**
 * The top-level nodes copied from an earlier copy's item that an edit moved (see
 * TreeCopy.shifted): what they were, and by how many characters and rows they moved. The AST
 * and the lexical errors of such an item are those of the earlier one, moved likewise. Once
 * those are made, forgetMovedItems drops the links: a chain of moves would keep every earlier
 * copy alive.
 */
export const movedItems = new WeakMap<PNode, { from: PNode; delta: number; rows: number }>();

/** Drops what the copy `root` remembers of the items it moved (their AST and errors are made). */
export function forgetMovedItems(root: PNode): void {
  for (const item of root.children) movedItems.delete(item);
}

/** The lines of the copy whose root this is (no side table: a WeakMap made every copy slower to collect). */
function linesOf(node: PNode): Lines | undefined {
  return node instanceof PlainNode ? node.copyLines : undefined;
}

/**
 * Copies the tree. Only ids and indices cross from wasm per node (each crossing costs); names
 * come from tables read once per language, and rows/columns from the text's line starts.
 */
export function plainTree(tree: Tree, text?: string, previous?: PNode): PNode {
  return new TreeCopy(tree, text ?? tree.rootNode.text, previous).run();
}

/**
 * Deeper trees are refused: every later stage (the AST, analysis, code generation, the JIT's
 * JavaScript) recurses over the tree, and a fuzzed 2,000-deep sum overflowed the JS stack.
 * Real D scripts nest a few dozen levels.
 */
export const MAX_TREE_DEPTH = 1000;

/** Thrown by plainTree() for a tree deeper than MAX_TREE_DEPTH. */
export class NestingTooDeep extends Error {
  constructor(
    /** Where the node past the limit starts. */
    readonly index: number,
    readonly point: Point,
  ) {
    super(`nesting too deep: more than ${MAX_TREE_DEPTH} levels`);
  }
}

const ERROR_ID = 0xffff;

/** One copy of a tree: the walk's state (a class, so that its steps are shared, not closures). */
class TreeCopy {
  private readonly t: LanguageTables;
  private readonly cursor: TreeCursor;
  private readonly lines: Lines;
  /** The earlier copy's top-level items (reused where unchanged), and the next one to look at. */
  private readonly previousItems: PNode[] = NO_CHILDREN;
  private readonly previousLines: Lines | undefined;
  private previousItem = 0;
  /** The earlier copy's item looked at for nodes the edit moved (see shifted()). */
  private shiftedItem = 0;
  /** A tree with errors holds skipped text and MISSING tokens: every range is read from it. */
  private readonly exact: boolean;
  /**
   * Where the previous leaf (or a parent with text of its own) ended: between two leaves of a
   * tree without errors there are only blanks and line continuations (comments and control
   * lines are leaves themselves, and the scanner's hidden tokens are empty or blank). -1 when
   * unknown: inside a parent with text of its own before its first child.
   */
  private previousEnd = 0;
  /** The children of the open parents, in one buffer: each parent takes an exact-size copy. */
  private readonly pending: PlainNode[] = [];
  private pendingCount = 0;
  private readonly stack: PlainNode[] = [];
  private readonly stackTypes: number[] = [];
  private readonly stackMarks: number[] = [];
  /** How many children that fill a field by position each open parent has had. */
  private readonly stackPositions: number[] = [];

  constructor(
    tree: Tree,
    private readonly source: string,
    previous: PNode | undefined,
  ) {
    this.t = namesOf(tree);
    this.exact = tree.rootNode.hasError;
    const index = new LineIndex(source);
    const earlier = previous !== undefined ? linesOf(previous) : undefined;
    // Items are reused only between copies of trees without errors: in those, an item's
    // ranges follow from its text and where it starts (see leaf()).
    if (earlier !== undefined && earlier.root === previous && !earlier.exact && !this.exact) {
      this.previousItems = previous!.children;
      this.previousLines = { index: earlier.index, text: earlier.text, exact: false, root: undefined };
      earlier.index = index;
      earlier.text = source;
      this.lines = earlier;
    } else this.lines = { index, text: source, exact: this.exact, root: undefined };
    this.cursor = tree.walk();
  }

  /**
   * The earlier copy's item for the top-level node at the cursor, when that node is the same
   * text at the same place (index, row and column) and of the same type.
   */
  private reusable(type: string): PNode | undefined {
    const before = this.previousLines;
    if (before === undefined) return undefined;
    const items = this.previousItems;
    const start = this.cursor.startIndex;
    while (this.previousItem < items.length && items[this.previousItem]!.startIndex < start) this.previousItem++;
    const item = items[this.previousItem];
    if (item === undefined || item.startIndex !== start || item.type !== type) return undefined;
    const end = this.cursor.endIndex;
    if (item.endIndex !== end || !hasChildren(item)) return undefined;
    const was = before.index.point(start);
    const now = this.lines.index.point(start);
    if (was.row !== now.row || was.column !== now.column) return undefined;
    if (before.text.slice(start, end) !== this.source.slice(start, end)) return undefined;
    return item;
  }

  /**
   * A copy of the earlier copy's item for the top-level node at the cursor, when that node is
   * the same text moved by the edit (an item after inserted or deleted text): its subtree is
   * the same, and copying it costs no crossing into wasm. Its points follow from the new
   * text's lines. Assumes one edit: the items after it moved by the change of length.
   */
  private shifted(type: string): PNode | undefined {
    const before = this.previousLines;
    if (before === undefined) return undefined;
    const delta = this.source.length - before.text.length;
    if (delta === 0) return undefined;
    const items = this.previousItems;
    const start = this.cursor.startIndex - delta;
    while (this.shiftedItem < items.length && items[this.shiftedItem]!.startIndex < start) this.shiftedItem++;
    const item = items[this.shiftedItem];
    if (item === undefined || item.startIndex !== start || item.type !== type || !(item instanceof PlainNode)) return undefined;
    const end = this.cursor.endIndex - delta;
    if (item.endIndex !== end || !hasChildren(item)) return undefined;
    // The same column too: the scanner's view of a line (a `#` starting it) stays the same,
    // and so does the column of every point inside.
    const was = before.index.point(start);
    const now = this.lines.index.point(start + delta);
    if (was.column !== now.column) return undefined;
    if (before.text.slice(start, end) !== this.source.slice(start + delta, end + delta)) return undefined;
    const copy = item.shiftedCopy(delta, this.lines);
    // The earlier item's own link is no longer needed (its AST and errors were made with it).
    movedItems.delete(item);
    movedItems.set(copy, { from: item, delta, rows: now.row - was.row });
    return copy;
  }

  run(): PNode {
    const cursor = this.cursor;
    const { childFields, fields, named, leaf: isLeaf, layout: layouts, extra } = this.t;
    const rootId = cursor.nodeTypeId;
    const root = this.make(rootId, null);
    if (!cursor.gotoFirstChild()) {
      // An empty program: its range is tree-sitter's.
      root.startIndex = cursor.startIndex;
      root.endIndex = cursor.endIndex;
      cursor.delete();
      this.lines.root = root;
      return root;
    }
    this.push(root, rootId);
    // Iterative pre-order walk: deep expression chains must not overflow the JS stack. Only
    // leaves read their indices from wasm; a parent spans its children, so its range is set
    // from them when the walk leaves it. Every cursor read marshals the cursor into wasm.
    for (;;) {
      const id = cursor.nodeTypeId;
      const top = this.stackTypes.length - 1;
      const layout = this.exact ? undefined : layouts[this.stackTypes[top]!];
      let field: string | null;
      if (layout !== undefined) {
        const position = (extra[id] ?? false) ? -1 : this.stackPositions[top]!++;
        field = position < 0 ? null : position < layout.length ? layout[position]! : (fields[cursor.currentFieldId] ?? null);
      } else {
        const parentFields = childFields[this.stackTypes[top]!] ?? Fields.Any;
        const readField = parentFields === Fields.Any || (parentFields === Fields.Named && (named[id] ?? true));
        field = readField ? (fields[cursor.currentFieldId] ?? null) : null;
      }
      const reused = top === 0 ? (this.reusable(this.t.types[id] ?? '') ?? this.shifted(this.t.types[id] ?? '')) : undefined;
      if (reused !== undefined) {
        this.pending[this.pendingCount++] = reused as PlainNode;
        this.previousEnd = reused.endIndex;
        if (this.next(root)) return root;
        continue;
      }
      const node = this.make(id, field);
      this.pending[this.pendingCount++] = node;
      if (this.ownStart(id)) {
        node.startIndex = cursor.startIndex;
        this.previousEnd = -1;
      }
      if (!(isLeaf[id] ?? false) && cursor.gotoFirstChild()) {
        this.push(node, id);
        continue;
      }
      this.leaf(node, id);
      // Inline (not next()): this is the walk's hot path.
      while (!cursor.gotoNextSibling()) {
        if (this.stack.length === 1 || !cursor.gotoParent()) return this.finish(root);
        this.close();
      }
    }
  }

  private finish(root: PlainNode): PlainNode {
    while (this.stack.length > 0) this.close();
    this.cursor.delete();
    // The root spans the whole text, leading and trailing blanks included.
    root.startIndex = 0;
    root.endIndex = this.source.length;
    this.lines.root = root;
    return root;
  }

  /** Moves to the next node in pre-order after a leaf's; true when the walk is over. */
  private next(root: PlainNode): boolean {
    const cursor = this.cursor;
    while (!cursor.gotoNextSibling()) {
      if (this.stack.length === 1 || !cursor.gotoParent()) {
        this.finish(root);
        return true;
      }
      this.close();
    }
    return false;
  }

  private make(typeId: number, field: string | null): PlainNode {
    // Ids outside the table (the error symbol) are named by asking.
    const type = this.t.types[typeId] ?? this.cursor.nodeType;
    const flags = ((this.t.named[typeId] ?? true) ? NAMED : 0) | (this.exact && this.cursor.nodeIsMissing ? MISSING : 0);
    return new PlainNode(type, field, flags, this.lines);
  }

  private leaf(node: PlainNode, id: number): void {
    const fixed = this.t.fixedLength[id] ?? -1;
    // A leaf starts after the blanks that follow the previous one (a token's text is checked
    // to be there; a name or literal must start before it ends).
    const after = this.exact || this.previousEnd < 0 ? -1 : skipBlanks(this.source, this.previousEnd);
    if (fixed >= 0) {
      node.startIndex = after >= 0 && startsWithAt(this.source, node.type, after) ? after : this.cursor.startIndex;
      // A MISSING token is zero-width although its type names a token.
      node.endIndex = node.isMissing ? this.cursor.endIndex : node.startIndex + fixed;
    } else {
      node.endIndex = this.cursor.endIndex;
      node.startIndex = after >= 0 && after <= node.endIndex ? after : this.cursor.startIndex;
    }
    this.previousEnd = node.endIndex;
  }

  private push(node: PlainNode, id: number): void {
    if (this.stack.length >= MAX_TREE_DEPTH) {
      const at = this.cursor.startIndex;
      this.cursor.delete();
      throw new NestingTooDeep(at, this.lines.index.point(at));
    }
    this.stack.push(node);
    this.stackTypes.push(id);
    this.stackMarks.push(this.pendingCount);
    this.stackPositions.push(0);
  }

  /** The parent on top of the stack is complete: the cursor is back on it. */
  private close(): void {
    const node = this.stack.pop()!;
    const id = this.stackTypes.pop()!;
    const mark = this.stackMarks.pop()!;
    this.stackPositions.pop();
    const children = this.pending.slice(mark, this.pendingCount);
    this.pendingCount = mark;
    node.children = children;
    // These may begin with characters no child holds (skipped text, a macro argument's).
    if (!this.ownStart(id)) node.startIndex = children[0]!.startIndex;
    // A hidden token (a control line's newline) may end it after its last visible child.
    if (this.exact || id === ERROR_ID || (this.t.ownEnd[id] ?? true)) {
      node.endIndex = this.cursor.endIndex;
      this.previousEnd = node.endIndex;
    } else node.endIndex = children[children.length - 1]!.endIndex;
  }

  private ownStart(id: number): boolean {
    return id === ERROR_ID || (this.t.ownStart[id] ?? true);
  }
}

const ORIGIN: Point = { row: 0, column: 0 };

/** Whether a node has children (a moved node's are not copied to tell). */
function hasChildren(node: PNode): boolean {
  return node instanceof MovedNode ? node.hasChildren : node.children.length > 0;
}

function startsWithAt(text: string, token: string, at: number): boolean {
  return token.length === 1 ? text.charCodeAt(at) === token.charCodeAt(0) : text.startsWith(token, at);
}

/** The index after the blanks and backslash-newlines (the grammar's extras) at `i`. */
function skipBlanks(text: string, i: number): number {
  for (;;) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || (ch >= 9 && ch <= 13)) i++;
    else if (ch === 92 && text.charCodeAt(i + 1) === 10) i += 2;
    else if (ch === 92 && text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i += 3;
    else return i;
  }
}
