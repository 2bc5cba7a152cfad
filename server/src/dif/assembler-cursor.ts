// A cursor over one line of DIF assembly that knows its column, so that every assembler
// error can point at the character it is about.

export class AssemblyError extends Error {
  constructor(
    readonly reason: string,
    /** 1-based line number */
    readonly line: number,
    /** 1-based column */
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'AssemblyError';
  }
}

export class LineCursor {
  pos: number;

  constructor(
    readonly text: string,
    readonly line: number,
    start = 0,
  ) {
    this.pos = start;
  }

  /** 1-based column of the cursor, or of `pos` when given. */
  column(pos = this.pos): number {
    return pos + 1;
  }

  error(reason: string, pos = this.pos): AssemblyError {
    return new AssemblyError(reason, this.line, this.column(pos));
  }

  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  atEnd(): boolean {
    this.skipSpaces();
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  /** What is left, for "unexpected ..." messages. */
  rest(): string {
    return this.text.slice(this.pos);
  }

  expect(token: string, what = `'${token}'`): void {
    this.skipSpaces();
    if (!this.text.startsWith(token, this.pos)) throw this.error(`expected ${what}${this.found()}`);
    this.pos += token.length;
  }

  accept(token: string): boolean {
    this.skipSpaces();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.error(`unexpected '${this.rest().trimEnd()}'`);
  }

  found(): string {
    const rest = this.rest().trim();
    return rest === '' ? ', found end of line' : `, found '${rest.split(/\s+/)[0]}'`;
  }

  /** An identifier ([A-Za-z_][A-Za-z0-9_]*), or undefined without moving. */
  identifier(): string | undefined {
    this.skipSpaces();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.rest());
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** A run of non-space characters. */
  word(): string | undefined {
    this.skipSpaces();
    const m = /^\S+/.exec(this.rest());
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** An integer literal: decimal or 0x-hexadecimal, with an optional '-' when `signed`. */
  integer(what: string, signed = false): { value: bigint; pos: number } {
    this.skipSpaces();
    const pos = this.pos;
    const m = (signed ? /^-?(0[xX][0-9a-fA-F]+|\d+)\b/ : /^(0[xX][0-9a-fA-F]+|\d+)\b/).exec(this.rest());
    if (m === null) throw this.error(`expected ${what}${this.found()}`);
    this.pos += m[0].length;
    const value = m[0].startsWith('-') ? -BigInt(m[0].slice(1)) : BigInt(m[0]);
    return { value, pos };
  }

  /** An unsigned integer that must fit in `bits` bits. */
  unsigned(what: string, bits: number): number {
    const { value, pos } = this.integer(what);
    if (value >= 1n << BigInt(bits)) {
      throw this.error(`${what} ${value} out of range (0-${(1n << BigInt(bits)) - 1n})`, pos);
    }
    return Number(value);
  }

  /** A double-quoted string with C escapes (\n \t \r \\ \" \xHH). */
  quoted(): string {
    this.skipSpaces();
    if (this.peek() !== '"') throw this.error(`expected a quoted string${this.found()}`);
    const start = this.pos;
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++]!;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++] ?? '';
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"' };
      if (e in simple) {
        out += simple[e];
      } else if (e === 'x' && /^[0-9a-fA-F]{2}/.test(this.text.slice(this.pos))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.pos, this.pos + 2), 16));
        this.pos += 2;
      } else {
        throw this.error(`unknown escape '\\${e}'`, this.pos - 2);
      }
    }
    throw this.error('unterminated string', start);
  }
}

/** Cuts a trailing `!` or `;` comment, leaving quoted strings intact. */
export function stripComment(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === '!' || c === ';') {
      return text.slice(0, i);
    }
  }
  return text;
}
