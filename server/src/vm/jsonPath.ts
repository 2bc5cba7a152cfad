// json()'s lookup: a dotted/indexed key path ("a.b[2].c") into a JSON document. The value
// comes back as it is written in the document: a string without its quotes (escapes
// untouched), any other value as its source text.

/** The text at `key` in `doc`, or undefined (no such key, or not JSON). */
export function jsonLookup(doc: string, key: string): string | undefined {
  const path: (string | number)[] = [];
  for (const part of key.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (m === null) return undefined;
    if (m[1] !== '') path.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  return new JsonScanner(doc).find(path);
}

/** Just enough of a JSON reader to walk a key path and return the source text found there. */
class JsonScanner {
  private at = 0;

  constructor(private readonly text: string) {}

  find(path: readonly (string | number)[]): string | undefined {
    try {
      this.space();
      for (const step of path) {
        if (!this.enter(step)) return undefined;
      }
      const start = this.at;
      if (this.text[start] === '"') {
        this.skipValue();
        return this.text.slice(start + 1, this.at - 1);
      }
      this.skipValue();
      return this.text.slice(start, this.at).trimEnd();
    } catch {
      return undefined;
    }
  }

  /** Moves to the member or element `step` of the value at the cursor. */
  private enter(step: string | number): boolean {
    const open = this.text[this.at];
    if (typeof step === 'number' ? open !== '[' : open !== '{') return false;
    this.at++;
    this.space();
    for (let index = 0; this.text[this.at] !== (typeof step === 'number' ? ']' : '}'); index++) {
      if (typeof step === 'string') {
        const name = this.stringBody();
        this.space();
        this.expect(':');
        this.space();
        if (name === step) return true;
      } else if (index === step) {
        return true;
      }
      this.skipValue();
      this.space();
      if (this.text[this.at] === ',') {
        this.at++;
        this.space();
      }
    }
    return false;
  }

  private skipValue(): void {
    const ch = this.text[this.at];
    if (ch === '"') {
      this.stringBody();
      return;
    }
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      this.at++;
      this.space();
      while (this.text[this.at] !== close) {
        if (ch === '{') {
          this.stringBody();
          this.space();
          this.expect(':');
          this.space();
        }
        this.skipValue();
        this.space();
        if (this.text[this.at] === ',') {
          this.at++;
          this.space();
        } else if (this.text[this.at] !== close) {
          throw new Error('bad JSON');
        }
      }
      this.at++;
      return;
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(this.text.slice(this.at));
    if (m === null) throw new Error('bad JSON');
    this.at += m[0].length;
  }

  private stringBody(): string {
    this.expect('"');
    const start = this.at;
    while (this.at < this.text.length && this.text[this.at] !== '"') this.at += this.text[this.at] === '\\' ? 2 : 1;
    if (this.at >= this.text.length) throw new Error('bad JSON');
    this.at++;
    return this.text.slice(start, this.at - 1);
  }

  private expect(ch: string): void {
    if (this.text[this.at] !== ch) throw new Error('bad JSON');
    this.at++;
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }
}
