// Offsets and LSP positions (UTF-16 columns, as the engine's spans count them) of one text.
import type { Position, Range } from 'vscode-languageserver';
import type { Point } from '../../parse/plainTree';

/** An engine span (rows and UTF-16 columns) as an LSP range. */
export const rangeOfSpan = (s: { start: Point; end: Point }): Range => ({
  start: { line: s.start.row, character: s.start.column },
  end: { line: s.end.row, character: s.end.column },
});

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }

  offset(p: Position): number {
    const start = this.starts[Math.min(p.line, this.starts.length - 1)] ?? 0;
    if (p.line >= this.starts.length) return this.text.length;
    const next = this.starts[p.line + 1] ?? this.text.length + 1;
    return Math.min(start + p.character, next - 1, this.text.length);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** The text of the line holding `offset`, and where it starts. */
  lineAt(offset: number): { text: string; start: number } {
    const line = this.position(offset).line;
    const start = this.starts[line]!;
    const next = this.starts[line + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return { text: this.text.slice(start, end).replace(/\r$/, ''), start };
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
