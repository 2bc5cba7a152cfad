// Declaration specifiers as DTrace's parser applies them (dt_decl.c): one decl gathers a
// storage class, attributes (short, long, signed, unsigned and the qualifiers) and a single
// type specifier, and is checked after every step, so the first contradiction found in text
// order is the error reported. A typedef name after a type specifier names the declaration
// instead; after only attributes it is the type.
import type * as A from '../../parse/ast';
import type { Compilation } from '../compilation';
import { T, type CType } from './ctype';
import { typeFromWords } from './typeTable';

export type DeclKind = 'unknown' | 'integer' | 'float' | 'typedef' | 'struct' | 'union' | 'enum';
type Attr = 'short' | 'long' | 'longlong' | 'signed' | 'unsigned' | 'qualifier';

export const STORAGE_CLASSES = new Set(['typedef', 'self', 'this', 'extern', 'static', 'auto', 'register']);
/** Type keywords and the decl kind each gives (`string` is D's built-in typedef). */
const TYPE_KEYWORDS: Record<string, DeclKind> = {
  char: 'integer',
  int: 'integer',
  void: 'integer',
  _Bool: 'integer',
  float: 'float',
  double: 'float',
  string: 'typedef',
};

export function isTypeKeyword(word: string): boolean {
  return Object.hasOwn(TYPE_KEYWORDS, word);
}

/** The decl being built, with DTrace's checks (dt_decl_class, dt_decl_spec, dt_decl_attr). */
export class DeclSpec {
  kind: DeclKind = 'unknown';
  /** The type specifier's name: `int`, `pair` for `struct pair`, a typedef name. */
  name: string | undefined;
  readonly attrs = new Set<Attr>();
  storage: string | undefined;
  /** The declared name when a typedef name after the type turned out to be it. */
  ident: string | undefined;
  /** Whether any specifier or attribute was seen (DTrace's decl stack is not empty). */
  started = false;
  /** The struct, union or enum type a tag specifier named. */
  tagType: CType | undefined;
  /**
   * Whether DTrace's lexer had seen a type name when it read the token after the specifiers: a
   * name there is then an identifier even when it names a type.
   */
  lexerSeesTypeName = false;

  constructor(
    private readonly c: Compilation,
    public span: A.Span,
  ) {}

  private fail(tag: string, message: string, at: A.Span = this.span): never {
    this.c.error(tag, at, message, undefined, at.start.row + 1);
  }

  storageClass(cls: string, at?: A.Span): void {
    if (this.storage !== undefined) this.fail('D_DECL_CLASS', 'only one storage class allowed in a declaration', at);
    this.storage = cls;
  }

  attribute(word: string, at?: A.Span): void {
    const attr: Attr = word === 'short' || word === 'long' || word === 'signed' || word === 'unsigned' ? word : 'qualifier';
    if (!this.started) {
      this.started = true;
      this.attrs.add(attr);
      return;
    }
    const once = (a: Attr, text: string): void => {
      if (attr === a && this.attrs.has(a)) this.fail('D_DECL_COMBO', `the attribute '${text}' may only be used at most once in a declaration`, at);
    };
    if (attr === 'long' && this.attrs.has('longlong')) this.fail('D_DECL_COMBO', "the attribute 'long' may only be used at most twice in a declaration", at);
    once('short', 'short');
    once('signed', 'signed');
    once('unsigned', 'unsigned');
    if (attr === 'long' && this.attrs.has('long')) {
      this.attrs.delete('long');
      this.attrs.add('longlong');
    } else this.attrs.add(attr);
    this.check(at);
  }

  /** A type specifier; returns false when a typedef name turned out to be the declared name. */
  specifier(kind: DeclKind, name: string | undefined, at?: A.Span): boolean {
    if (this.started && this.name !== undefined && kind === 'typedef' && name !== undefined) {
      if (this.storage !== 'typedef') {
        this.identifier(name, at);
        return false;
      }
      this.fail('D_DECL_IDRED', `identifier redeclared: ${name}`, at);
    }
    if (this.started && (this.name !== undefined || this.kind !== 'unknown')) this.fail('D_DECL_COMBO', 'invalid type combination', at);
    this.started = true;
    this.kind = kind;
    this.name = name;
    this.check(at);
    return true;
  }

  identifier(name: string, at?: A.Span): void {
    if (this.ident !== undefined) this.fail('D_DECL_IDENT', 'old-style declaration or incorrect type specified', at);
    this.ident = name;
    this.started = true;
  }

  /** What DTrace does before it uses the decl: attributes alone mean `int`. */
  top(at?: A.Span): void {
    if (this.kind === 'unknown' && this.name === undefined) {
      this.kind = 'integer';
      this.check(at);
    }
  }

  private check(at?: A.Span): void {
    if (this.kind === 'unknown') return;
    const a = this.attrs;
    if (this.name === 'char' && (a.has('short') || a.has('long') || a.has('longlong')))
      this.fail('D_DECL_CHARATTR', 'invalid type declaration: short and long may not be used with char type', at);
    if (this.name === 'void' && (a.has('short') || a.has('long') || a.has('longlong') || a.has('signed') || a.has('unsigned')))
      this.fail('D_DECL_VOIDATTR', 'invalid type declaration: attributes may not be used with void type', at);
    if (this.kind !== 'integer' && (a.has('signed') || a.has('unsigned')))
      this.fail('D_DECL_SIGNINT', 'invalid type declaration: signed and unsigned may only be used with integer type', at);
    if (this.kind !== 'integer' && this.kind !== 'float' && (a.has('long') || a.has('longlong')))
      this.fail('D_DECL_LONGINT', 'invalid type declaration: long and long long may only be used with integer or floating-point type', at);
  }

  /** The type the decl names (dt_decl_type), for the integer, float and typedef kinds. */
  type(): CType {
    this.top();
    if (this.kind === 'typedef') {
      if (this.name === 'string') return T.string;
      const t = this.c.types.typedefs.get(this.name!) ?? this.c.types.kernelTypedef(this.name!);
      if (!t) this.fail('D_TYPE_ERR', `failed to resolve type ${this.name}: Unknown type name`);
      return t;
    }
    if (this.kind === 'struct' || this.kind === 'union' || this.kind === 'enum') return this.tagType!;
    const words: string[] = [];
    for (const a of ['signed', 'unsigned', 'short', 'long'] as const) if (this.attrs.has(a)) words.push(a);
    if (this.attrs.has('longlong')) words.push('long', 'long');
    if (this.name !== undefined) words.push(this.name === '_Bool' ? '_Bool' : this.name);
    const t = typeFromWords(words);
    if (!t) this.fail('D_UNKNOWN', `failed to resolve type ${words.join(' ')}: Unknown type name`);
    return t;
  }
}

/** The token at or after `index` (blanks and comments skipped), as DTrace's lexer cuts it. */
export function tokenAt(source: string, index: number): { text: string; index: number } | undefined {
  const re = /(?:\s|\/\*[\s\S]*?\*\/)*([A-Za-z_`][A-Za-z0-9_`]*|\.\.\.|[^\s])/y;
  re.lastIndex = index;
  const m = re.exec(source);
  return m ? { text: m[1]!, index: m.index + m[0].length - m[1]!.length } : undefined;
}

/** What the lexer does with a name that is a type: after `[`, `=`, `++` or `--` it is a variable. */
export function readAsTypeName(c: Compilation, name: string, following: string): boolean {
  if (!c.types.typedefs.has(name)) return false;
  if (c.globals.get(name) || c.inlines.has(name) || c.enumerators.has(name)) return false;
  return !/^\s*(\[|=(?!=)|\+\+|--)/.test(following);
}
