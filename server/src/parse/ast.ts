// The D abstract syntax tree every stage after parsing works on: the analyzer types it, the
// desugarer rewrites `if` into clauses, the code generator walks it. Nodes keep the source span
// of what the user wrote, so every diagnostic can point back at it.
import type { Point } from './plainTree';

export interface Span {
  start: Point;
  end: Point;
  startIndex: number;
  endIndex: number;
}

/** Whether `inner` lies within `outer` (both ends included). */
export function spanWithin(inner: Span, outer: Span): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

interface Base {
  span: Span;
}

export type Expr =
  | IntLit
  | CharLit
  | StringLit
  | FloatLit
  | Ident
  | MacroVar
  | SelfVar
  | ThisVar
  | AggRef
  | Binary
  | Unary
  | Update
  | Assign
  | Conditional
  | Comma
  | Call
  | Index
  | Member
  | SizeofType
  | SizeofExpr
  | Stringof
  | Offsetof
  | Xlate
  | Cast
  | Paren
  | ErrorExpr;

export interface IntLit extends Base { k: 'int'; text: string }
export interface CharLit extends Base { k: 'char'; text: string }
export interface StringLit extends Base { k: 'string'; text: string }
export interface FloatLit extends Base { k: 'float'; text: string }
export interface Ident extends Base { k: 'ident'; name: string }
/** `$1`, `$$1`, `$target`, `$$pid`... */
export interface MacroVar extends Base { k: 'macro'; name: string }
export interface SelfVar extends Base { k: 'self'; name: string; nameSpan: Span }
export interface ThisVar extends Base { k: 'this'; name: string; nameSpan: Span }
/** `@name`; `@` alone is `@_`. */
export interface AggRef extends Base { k: 'agg'; name: string }
export interface Binary extends Base { k: 'binary'; op: string; left: Expr; right: Expr; opSpan: Span }
/** `+ - ! ~` and the pointer operators `*` (deref) and `&` (address of). */
export interface Unary extends Base { k: 'unary'; op: '+' | '-' | '!' | '~' | '*' | '&'; arg: Expr }
export interface Update extends Base { k: 'update'; op: '++' | '--'; prefix: boolean; arg: Expr }
export interface Assign extends Base { k: 'assign'; op: string; left: Expr; right: Expr }
export interface Conditional extends Base { k: 'cond'; test: Expr; then: Expr; else: Expr }
export interface Comma extends Base { k: 'comma'; left: Expr; right: Expr }
export interface Call extends Base { k: 'call'; fn: Expr; args: Expr[] }
export interface Index extends Base { k: 'index'; base: Expr; indices: Expr[] }
export interface Member extends Base { k: 'member'; base: Expr; arrow: boolean; name: string; nameSpan: Span }
export interface SizeofType extends Base { k: 'sizeofType'; type: TypeName }
export interface SizeofExpr extends Base { k: 'sizeofExpr'; arg: Expr }
export interface Stringof extends Base { k: 'stringof'; arg: Expr }
export interface Offsetof extends Base { k: 'offsetof'; type: TypeName; member: string }
export interface Xlate extends Base { k: 'xlate'; type: TypeName; arg: Expr }
export interface Cast extends Base { k: 'cast'; type: TypeName; arg: Expr }
export interface Paren extends Base { k: 'paren'; arg: Expr }
/** What tree-sitter could not parse; syntax errors are reported separately. */
export interface ErrorExpr extends Base { k: 'error' }

// ---- types and declarations ----

export type BaseSpec =
  | { k: 'words'; words: string[]; span: Span } // void char int long unsigned string ...
  | { k: 'typedefName'; name: string; span: Span }
  | { k: 'sou'; kind: 'struct' | 'union'; tag?: string; members?: FieldDecl[]; span: Span }
  | { k: 'enum'; tag?: string; enumerators?: Enumerator[]; span: Span };

export interface DeclSpecs {
  storage: string[]; // self this extern static auto register typedef
  qualifiers: string[]; // const volatile restrict userland
  /** The first type specifier (type words run together: `unsigned long`, `int char`). */
  base: BaseSpec | undefined;
  /**
   * The type specifiers after `base`, in source order: a tag (`long struct s x`, `int enum e
   * x`) or a typedef name (`unsigned uint64_t x`, `struct pair size_t x`). DTrace's grammar
   * accepts any run of specifiers; its declaration rules reject or reinterpret these.
   */
  extraSpecifiers: BaseSpec[];
  span: Span;
}

export type Declarator =
  | { k: 'name'; name: string; span: Span }
  | { k: 'abstract'; span: Span }
  | { k: 'pointer'; qualifiers: string[]; inner: Declarator; span: Span }
  | { k: 'array'; inner: Declarator; size?: Expr; keys?: TypeName[]; varargs?: boolean; span: Span } // varargs: `[int, ...]`, `[...]`
  | { k: 'function'; inner: Declarator; params: Param[]; varargs: boolean; span: Span }
  | { k: 'bitfield'; inner: Declarator; width: Expr; span: Span };

export interface Param {
  specs: DeclSpecs;
  declarator: Declarator;
  span: Span;
}

export interface TypeName {
  specs: DeclSpecs;
  declarator: Declarator;
  span: Span;
}

export interface FieldDecl {
  specs: DeclSpecs;
  declarators: Declarator[];
  span: Span;
}

export interface Enumerator {
  name: string;
  value?: Expr;
  span: Span;
}

// ---- statements ----

export type Stmt =
  | { k: 'expr'; expr: Expr; span: Span }
  | { k: 'empty'; span: Span }
  | { k: 'block'; body: Stmt[]; span: Span }
  | { k: 'if'; test: Expr; then: Stmt; else?: Stmt; span: Span; elseSpan?: Span }
  | { k: 'loop'; keyword: 'for' | 'while' | 'do'; init?: Expr; test?: Expr; update?: Expr; body: Stmt; span: Span }
  | { k: 'jump'; keyword: 'break' | 'continue' | 'return' | 'goto' | 'switch' | 'case' | 'default'; span: Span }
  | { k: 'error'; span: Span };

// ---- top level ----

export interface ProbeDescAst {
  /** The description as written (macros unexpanded). */
  text: string;
  span: Span;
  /** A numeric probe id. */
  id?: number;
}

export interface Clause {
  k: 'clause';
  descriptions: ProbeDescAst[];
  predicate?: Expr;
  /** undefined when the clause has no `{ }`. */
  body?: Stmt[];
  bodySpan?: Span;
  span: Span;
}

export interface Declaration {
  k: 'declaration';
  specs: DeclSpecs;
  declarators: Declarator[];
  typedef: boolean;
  span: Span;
}

export interface InlineDef {
  k: 'inline';
  specs: DeclSpecs;
  declarator: Declarator;
  value: Expr;
  span: Span;
}

export interface TranslatorDef {
  k: 'translator';
  output: TypeName;
  input: Param;
  members: { name: string; nameSpan: Span; value: Expr; span: Span }[];
  span: Span;
}

export interface ProviderDef {
  k: 'provider';
  name: string;
  probes: { name: string; params: Param[]; varargs: boolean; xlated?: Param[]; span: Span }[];
  span: Span;
}

/** `#pragma ...`, `#error ...`, `#line ...` and every other control line. */
export interface ControlLine {
  k: 'control';
  /** The whole line as written, without the trailing newline. */
  text: string;
  span: Span;
}

export type TopLevel = Clause | Declaration | InlineDef | TranslatorDef | ProviderDef | ControlLine;

export interface Program {
  items: TopLevel[];
  span: Span;
}
