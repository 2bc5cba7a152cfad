// The D formatter, in the style of DTrace's own examples: each probe description on its own
// line, the predicate on the next, the clause's braces on lines of their own, one statement per
// line indented by a tab, `if (x) {` ... `} else {`, spaces around binary operators and after
// commas, none inside parentheses or around `->`; a blank line after every clause; comments,
// control lines, probe descriptions and literals exactly as written.
//
// It only changes the white space between tokens, never a token, and refuses a text with
// syntax errors, so it cannot change what a script means; where no rule applies it keeps the
// author's choice (a space or none); a long line the author broke after a comma, an opening
// parenthesis or an operator stays broken there (continued four spaces deeper). Formatting
// twice changes nothing.
import type { Node, Tree } from '../parse/dParser';
import { MAX_TREE_DEPTH, NestingTooDeep } from '../parse/plainTree';

export interface FormatOptions {
  /** One level of indentation: a tab (DTrace's style) unless the editor asks for spaces. */
  indent?: string;
}

export interface FormatResult {
  text: string;
  /** For each top-level item, in order: where it is in the input and in the output. */
  items: { input: [number, number]; output: [number, number] }[];
}

/** What the separator before a token is. */
const enum Sep {
  /** Nothing or one space, unless the author broke the line there (kept as a continuation). */
  None,
  Space,
  /** Nothing or one space, always on the same line. */
  JoinNone,
  JoinSpace,
  Newline,
  /** A newline, keeping one blank line when the author had at least one. */
  NewlineKeepBlank,
  /** A newline and a blank line. */
  BlankLine,
  /** The author's blanks (tabs that align columns). */
  Verbatim,
}

interface Token {
  start: number;
  end: number;
  type: string;
  parent: string;
  /** The parent's parent type. */
  grand: string;
  /** For a block's braces: where the block starts and ends. */
  blockStart: number;
  blockEnd: number;
  role: Role;
  /** Indentation level. */
  level: number;
  /** The top-level item the token belongs to (its index among the root's children). */
  top: number;
}

const enum Role {
  Plain,
  /** A token printed as written, on its own line(s) at column 0: control lines. */
  Control,
  Comment,
  LineComment,
  /** `{` and `}` of a block whose content is indented. */
  OpenBlock,
  CloseBlock,
  /** `;` ending a statement, declaration or member. */
  StatementEnd,
  /** `,` between probe descriptions. */
  DescriptionComma,
  PredicateOpen,
  PredicateClose,
  BinaryOperator,
  /** `-x`, `!x`, `*p`, `&x`, `++x`: nothing between operator and operand. */
  PrefixOperator,
  PostfixOperator,
  /** `->` and `.`. */
  Member,
  /** `(` of a call's arguments. */
  CallParen,
  /** `)` closing a cast: the operand follows it directly. */
  CastClose,
  /** `*` of a pointer declarator: the name follows it directly. */
  DeclaratorStar,
  /** The first token of a statement that is the brace-less body of if/else/while/for. */
  BodyStart,
  /** The first token of a clause (its first probe description). */
  ClauseStart,
}

const CONTROL_TYPES = new Set([
  'interpreter_line',
  'pragma_directive',
  'preproc_include',
  'preproc_def',
  'preproc_function_def',
  'preproc_call',
  'preproc_undef',
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_endif',
  'preproc_directive',
  'line_directive',
  'error_directive',
  'ident_directive',
  'null_directive',
  'control_line',
]);

/** Nodes printed exactly as written (their inside is not white space we may touch). */
const ATOMIC = new Set(['string_literal', 'char_literal', 'probe_description', 'system_lib_string', 'comment', ...CONTROL_TYPES]);

/** Blocks whose braces are children of the node and whose content is indented. */
const BLOCKS = new Set(['clause_body', 'compound_statement', 'field_declaration_list', 'enumerator_list', 'translator_definition', 'provider_definition']);

const STATEMENT_PARENTS = new Set([
  'expression_statement',
  'declaration',
  'field_declaration',
  'translator_member',
  'probe_declaration',
  'empty_statement',
  'type_definition',
  'inline_definition',
  'return_statement',
  'break_statement',
  'continue_statement',
  'goto_statement',
  'translator_definition',
  'provider_definition',
]);

const BRACELESS_BODY_PARENTS = new Set(['if_statement', 'else_clause', 'while_statement', 'for_statement', 'do_statement']);

const WORD = /[A-Za-z0-9_$`]/;
const OPERATOR = /[+\-*/%<>=!&|^~?:.]/;

/**
 * Formats `text`, whose syntax tree is `tree`; undefined when the text has syntax errors or
 * nests deeper than the front end accepts.
 */
export function formatD(tree: Tree, text: string, options: FormatOptions = {}): FormatResult | undefined {
  if (tree.rootNode.hasError) return undefined;
  const unit = options.indent ?? '\t';
  // Line ends as the file has them (the first one decides).
  const first = text.indexOf('\n');
  const nl = first > 0 && text[first - 1] === '\r' ? '\r\n' : '\n';
  let tokens: Token[];
  try {
    tokens = collectTokens(tree, text);
  } catch (e) {
    if (e instanceof NestingTooDeep) return undefined;
    throw e;
  }
  let out = '';
  const outStart: number[] = [];
  const outEnd: number[] = [];
  let lineStart = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (prev) {
      const gap = text.slice(prev.end, t.start);
      // A control line's token ends with its newline.
      const newlines = countNewlines(gap) + (prev.role === Role.Control && text.charCodeAt(prev.end - 1) === 10 ? 1 : 0);
      const sep = separator(prev, t, newlines, gap, text);
      if (sep === Sep.Verbatim) out += gap;
      else if (sep === Sep.None || sep === Sep.Space) {
        // The author broke a long line here: keep it, as a continuation line.
        if (newlines > 0 && breakable(prev, t, text)) out += nl + unit.repeat(t.level) + CONTINUATION;
        else if (sep === Sep.Space) out += ' ';
      } else if (sep === Sep.JoinSpace) out += ' ';
      else if (sep !== Sep.JoinNone) {
        const blank = sep === Sep.BlankLine || (sep === Sep.NewlineKeepBlank && newlines >= 2);
        out += blank ? nl + nl : nl;
        lineStart = true;
      }
    }
    if (lineStart && t.role !== Role.Control) out += unit.repeat(t.level);
    lineStart = false;
    let tokenText = text.slice(t.start, t.end);
    // Control lines end with their newline; trailing blanks go with it.
    if (t.role === Role.Control) tokenText = tokenText.replace(/[ \t]*(\r?\n)?$/, '');
    else if (t.role === Role.Comment) tokenText = tokenText.replace(/[ \t]+(?=\r?\n)/g, '');
    else if (t.role === Role.LineComment) tokenText = tokenText.replace(/[ \t\r]+$/, '');
    outStart.push(out.length);
    out += tokenText;
    outEnd.push(out.length);
  }
  const items: FormatResult['items'] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (i === 0 || tokens[i - 1]!.top !== t.top) items.push({ input: [t.start, t.end], output: [outStart[i]!, outEnd[i]!] });
    const item = items[items.length - 1]!;
    item.input[1] = t.end;
    item.output[1] = outEnd[i]!;
  }
  if (tokens.length > 0) out += nl;
  return { text: out, items };
}

/**
 * Where an author's line break inside a statement survives: after a comma, an opening
 * parenthesis or a binary operator, and before `&&`, `||` and `^^`. Anywhere else the line is
 * joined.
 */
function breakable(p: Token, t: Token, text: string): boolean {
  if (p.type === ',' || (p.type === '(' && t.type !== ')') || p.role === Role.BinaryOperator) return true;
  if (t.role === Role.BinaryOperator) {
    const op = text.slice(t.start, t.end);
    return op === '&&' || op === '||' || op === '^^';
  }
  return false;
}

/** How much deeper than its statement a line the author broke is indented. */
const CONTINUATION = '    ';

function countNewlines(gap: string): number {
  let n = 0;
  for (let i = 0; i < gap.length; i++) if (gap.charCodeAt(i) === 10) n++;
  return n;
}

function separator(p: Token, t: Token, newlines: number, gap: string, text: string): Sep {
  // Comments and control lines keep their own lines.
  if (p.role === Role.LineComment || p.role === Role.Control) return topBreak(p, t);
  if (t.role === Role.Control) return topBreak(p, t);
  if (t.role === Role.Comment || t.role === Role.LineComment) return newlines > 0 ? topBreak(p, t) : aligned(gap) ? Sep.Verbatim : Sep.Space;
  if (p.role === Role.Comment) return newlines > 0 ? topBreak(p, t) : Sep.Space;
  // Top-level items start lines of their own.
  if (p.top !== t.top) return topBreak(p, t);

  if (t.role === Role.OpenBlock) {
    if (t.parent === 'clause_body') return Sep.Newline;
    // A bare block among statements starts its own line; others follow `if (x)`, `struct s`.
    if (t.parent === 'compound_statement' && p.role === Role.StatementEnd) return Sep.NewlineKeepBlank;
    return Sep.JoinSpace;
  }
  if (p.role === Role.OpenBlock) return p.parent === 'enumerator_list' && newlines === 0 && oneLine(p, text) ? Sep.JoinSpace : Sep.Newline;
  if (t.role === Role.CloseBlock) return t.parent === 'enumerator_list' && newlines === 0 && oneLine(t, text) ? Sep.JoinSpace : Sep.Newline;
  if (p.role === Role.CloseBlock) {
    if (t.type === ';' || t.type === ',') return Sep.JoinNone;
    if (t.type === 'else' || (t.type === 'while' && p.grand === 'do_statement')) return Sep.JoinSpace;
    if (p.top === t.top && (p.parent === 'field_declaration_list' || p.parent === 'enumerator_list')) return Sep.JoinSpace;
    return topBreak(p, t);
  }
  if (p.role === Role.StatementEnd) return topBreak(p, t);
  if (t.type === ';' || t.type === ',') return Sep.JoinNone;
  if (p.role === Role.DescriptionComma) return Sep.Newline;
  if (p.type === ',' && p.parent === 'enumerator_list' && newlines > 0) return Sep.Newline;
  if (t.role === Role.PredicateOpen) return Sep.Newline;
  if (p.role === Role.PredicateOpen || t.role === Role.PredicateClose) return Sep.None;
  if (t.role === Role.BodyStart) return Sep.Newline;

  if (p.role === Role.Member || t.role === Role.Member) return Sep.None;
  if (p.role === Role.PrefixOperator || t.role === Role.PostfixOperator) return safe(p, t, Sep.None, gap, text);
  if (p.role === Role.CastClose || p.role === Role.DeclaratorStar) return safe(p, t, Sep.None, gap, text);
  if (t.role === Role.BinaryOperator || p.role === Role.BinaryOperator) return Sep.Space;
  if (t.type === ')' || t.type === ']') return Sep.None;
  if (p.type === ',' || p.type === ';') return Sep.Space;
  if (p.type === '(' || p.type === '[') return Sep.None;
  if (t.role === Role.CallParen || t.type === '[') return Sep.None;
  if (t.type === '(' && (p.type === 'if' || p.type === 'while' || p.type === 'for' || p.type === 'switch')) return Sep.JoinSpace;
  if (t.role === Role.DeclaratorStar) return aligned(gap) && DECLARATIONS.has(t.grand) ? Sep.Verbatim : Sep.Space;
  if (WORD.test(text[p.end - 1]!) && WORD.test(text[t.start]!)) return aligned(gap) && (DECLARATIONS.has(t.parent) || DECLARATIONS.has(t.grand)) ? Sep.Verbatim : Sep.Space;
  return gap.length > 0 ? Sep.Space : Sep.None;
}

/** An enumerator list the author wrote on one line (`{ LOW, HIGH }`) stays on one line. */
function oneLine(brace: Token, text: string): boolean {
  return !text.slice(brace.blockStart, brace.blockEnd).includes('\n');
}

/** Declarations whose names authors align with tabs (`uint64_t\tw_whole;`). */
const DECLARATIONS = new Set(['field_declaration', 'declaration']);

/** Blanks with a tab, on one line: the author aligns a column. */
function aligned(gap: string): boolean {
  return gap.includes('\t') && /^[ \t]+$/.test(gap);
}

/** Between statements and top-level items: a clause is set off by blank lines. */
function topBreak(p: Token, t: Token): Sep {
  if (p.top !== t.top && p.level === 0 && t.level === 0) {
    if (t.role === Role.ClauseStart && p.role !== Role.Comment && p.role !== Role.LineComment) return Sep.BlankLine;
    if (p.role === Role.CloseBlock && p.parent === 'clause_body') return Sep.BlankLine;
  }
  return Sep.NewlineKeepBlank;
}

/** `wanted`, unless dropping the author's white space would run two tokens into one. */
function safe(p: Token, t: Token, wanted: Sep, gap: string, text: string): Sep {
  if (wanted !== Sep.None || gap.length === 0) return wanted;
  const a = text[p.end - 1]!;
  const b = text[t.start]!;
  if ((WORD.test(a) && WORD.test(b)) || (OPERATOR.test(a) && OPERATOR.test(b))) return Sep.Space;
  return Sep.None;
}

function collectTokens(tree: Tree, text: string): Token[] {
  const tokens: Token[] = [];
  const root = tree.rootNode;
  let top = 0;
  const push = (node: Node, parent: Node | null, role: Role, level: number): void => {
    tokens.push({ start: node.startIndex, end: node.endIndex, type: node.type, parent: parent?.type ?? '', grand: parent?.parent?.type ?? '', blockStart: parent?.startIndex ?? 0, blockEnd: parent?.endIndex ?? 0, role, level, top });
  };
  const visit = (node: Node, parent: Node | null, level: number, firstRole: Role | undefined, depth: number): void => {
    // The front end rejects such a text; a recursion that deep would overflow the stack.
    if (depth > MAX_TREE_DEPTH) throw new NestingTooDeep(node.startIndex, node.startPosition);
    const type = node.type;
    if (ATOMIC.has(type) || node.childCount === 0 || !coveredByChildren(node, text)) {
      let role = firstRole ?? roleOf(node, parent);
      if (type === 'comment') role = text.startsWith('//', node.startIndex) ? Role.LineComment : Role.Comment;
      else if (CONTROL_TYPES.has(type)) role = Role.Control;
      push(node, parent, role, role === Role.Control ? 0 : level);
      return;
    }
    const children = node.children;
    const block = BLOCKS.has(type);
    let inside = false;
    let first = true;
    for (const child of children) {
      let childLevel = level;
      let role: Role | undefined = first ? firstRole : undefined;
      if (block && child.type === '{' && !inside) {
        inside = true;
        push(child, node, Role.OpenBlock, level);
        first = false;
        continue;
      }
      if (block && child.type === '}' && inside && child === children[children.lastIndexOf(child)]) {
        inside = false;
        push(child, node, Role.CloseBlock, level);
        first = false;
        continue;
      }
      if (block && inside) childLevel = level + 1;
      if (BRACELESS_BODY_PARENTS.has(type) && isStatement(child) && child.type !== 'compound_statement' && !(type === 'else_clause' && child.type === 'if_statement')) {
        childLevel = level + 1;
        role = Role.BodyStart;
      }
      if (type === 'probe_clause' && child.type === 'probe_description_list' && parent?.type === 'source_file') role = Role.ClauseStart;
      visit(child, node, childLevel, role, depth + 1);
      first = false;
    }
  };
  for (const child of root.children) {
    visit(child, root, 0, child.type === 'probe_clause' ? Role.ClauseStart : undefined, 1);
    top++;
  }
  return tokens;
}

/** False when the node has text of its own between its children (a macro argument's tokens). */
function coveredByChildren(node: Node, text: string): boolean {
  let at = node.startIndex;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.startIndex > at && text.slice(at, c.startIndex).trim() !== '') return false;
    at = c.endIndex;
  }
  return text.slice(at, node.endIndex).trim() === '';
}

function isStatement(n: Node): boolean {
  return n.type.endsWith('_statement');
}

function roleOf(node: Node, parent: Node | null): Role {
  const type = node.type;
  const p = parent?.type ?? '';
  if (type === ';' && STATEMENT_PARENTS.has(p)) return Role.StatementEnd;
  if (type === ',' && p === 'probe_description_list') return Role.DescriptionComma;
  if (type === '/' && p === 'predicate') return parent!.firstChild?.startIndex === node.startIndex ? Role.PredicateOpen : Role.PredicateClose;
  if (type === '->' || (type === '.' && p === 'field_expression')) return Role.Member;
  if (type === '(' && p === 'argument_list') return Role.CallParen;
  if (type === ')' && p === 'cast_expression') return Role.CastClose;
  if (type === '*' && (p === 'pointer_declarator' || p === 'abstract_pointer_declarator')) return Role.DeclaratorStar;
  if (p === 'unary_expression' || p === 'pointer_expression') return parent!.firstChild?.startIndex === node.startIndex ? Role.PrefixOperator : Role.Plain;
  if (p === 'update_expression') return parent!.firstChild?.startIndex === node.startIndex ? Role.PrefixOperator : Role.PostfixOperator;
  if ((p === 'binary_expression' || p === 'assignment_expression' || p === 'conditional_expression') && parent!.firstChild?.startIndex !== node.startIndex) {
    if (!node.isNamed) return Role.BinaryOperator;
  }
  if (type === '=' && (p === 'translator_member' || p === 'inline_definition' || p === 'enumerator' || p === 'declaration' || p === 'init_declarator')) return Role.BinaryOperator;
  return Role.Plain;
}
