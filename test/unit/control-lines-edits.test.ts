// The language server finds a text's control lines after an edit from those before it when the
// edit cannot change them (controlLinesAfterEdit): whenever it answers, the answer must be what
// scanning the new text finds. Random texts mixing control lines, comments, literals, escapes
// and CRs, edited at random by characters and by whole lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { controlLinesAfterEdit, scanControlLines } from '../../server/src/analyze/controlLineLexer';
import { xorshift, type SeededRandom } from '../support/xorshift';

const LINES = [
  '#pragma D option quiet',
  '  #define N 10',
  '#include "a.h"',
  'BEGIN {',
  '\tx = 1;',
  '\ty = x / 2;',
  '\tprintf("%d /* no */ # %s\\n", x, "q");',
  "\tc = '#';",
  '/* a comment',
  '#pragma D option flowindent',
  'ends here */',
  '}',
  '// not a D comment but a division twice',
  '\tz = "unterminated',
  '\tw = 3 \\',
  '#!/usr/sbin/dtrace -s',
  '\tv = 4;\r',
  '',
];
const PIECES = ['x', '1', ' ', '\n', '#', '/', '*', '"', "'", '\\', '\r', 'ab', '/*', '*/', '\tq = 2;\n', '#pragma D option bufsize=1m\n', '\n\n'];

function randomText(r: SeededRandom): string {
  const n = 3 + Math.floor(r.random() * 12);
  return Array.from({ length: n }, () => r.pick(LINES)).join('\n') + (r.random() < 0.5 ? '\n' : '');
}

/** An edit where an editor makes them: a line's start or anywhere, a piece in, a few characters out. */
function randomEdit(r: SeededRandom, text: string): { start: number; oldEnd: number; inserted: string } {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const atLine = r.random() < 0.4;
  const start = atLine ? r.pick(lineStarts) : Math.floor(r.random() * (text.length + 1));
  let oldEnd = start;
  const kind = r.random();
  if (kind < 0.3 && atLine) {
    // A whole line out.
    const nl = text.indexOf('\n', start);
    oldEnd = nl < 0 ? text.length : nl + 1;
  } else if (kind < 0.6) oldEnd = Math.min(text.length, start + Math.floor(r.random() * 3));
  const inserted = kind < 0.8 ? r.pick(PIECES) : '';
  return { start, oldEnd, inserted };
}

describe('control lines after an edit', () => {
  it('are those a scan of the edited text finds, whenever they are made from the last ones', () => {
    const r = xorshift(20261127);
    let made = 0;
    let scanned = 0;
    for (let t = 0; t < 400; t++) {
      let text = randomText(r);
      let lines = scanControlLines(text);
      for (let k = 0; k < 25; k++) {
        const e = randomEdit(r, text);
        const after = text.slice(0, e.start) + e.inserted + text.slice(e.oldEnd);
        const moved = controlLinesAfterEdit(text, lines, e.start, e.oldEnd, e.inserted);
        const fresh = scanControlLines(after);
        if (moved !== undefined) {
          made++;
          assert.deepEqual(moved, fresh, `edit ${JSON.stringify(e)} of ${JSON.stringify(text)}`);
        } else scanned++;
        text = after;
        lines = fresh;
      }
    }
    // Most edits are made from the last lines (the point of it), not every one (the test means something).
    assert.ok(made > 1000 && scanned > 1000, `made ${made}, scanned ${scanned}`);
  });

  it('typing in a statement and whole statement lines in and out keep them; touching one scans again', () => {
    const text = '#pragma D option quiet\nBEGIN\n{\n\tx = 1;\n}\n';
    const lines = scanControlLines(text);
    const digit = text.indexOf('1');
    assert.equal(controlLinesAfterEdit(text, lines, digit, digit + 1, '2')?.length, 1);
    const line = text.indexOf('\tx');
    const withBlank = text.replace('{\n', '{\n\n');
    const blank = withBlank.indexOf('\n\n') + 1;
    assert.deepEqual(controlLinesAfterEdit(withBlank, scanControlLines(withBlank), blank, blank + 1, ''), lines);
    // Right before a control line: scanned again, though it stays one.
    assert.equal(controlLinesAfterEdit('\n' + text, scanControlLines('\n' + text), 0, 1, ''), undefined);
    assert.deepEqual(controlLinesAfterEdit(text, lines, line, line, '\ty = 2;\n'), lines);
    assert.equal(controlLinesAfterEdit(text, lines, 8, 8, 'x'), undefined);
    assert.equal(controlLinesAfterEdit(text, lines, digit, digit, '#'), undefined);
    assert.equal(controlLinesAfterEdit(text, lines, digit, digit, '/*'), undefined);
  });
});
