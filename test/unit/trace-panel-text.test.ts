// The inline aggregation previews and hovers, and the trace panel's filter: exact text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barFractions, eventMatches, shownBuckets, type PanelEvent } from '../../server/src/debug/panelModel';
import { hoverMarkdown, inlinePreview, sparkline } from '../../client/src/tracePanel/previewText';

test('sparkline: one block per bucket, height by count, empty buckets blank', () => {
  assert.equal(sparkline([0, 1, 8, 4, 0, 2]), ' ▁█▄ ▂');
  assert.equal(sparkline([]), '');
  assert.equal(sparkline([0, 0]), '  ');
});

test('inline preview of a count: keys by value, largest first, cut to the width', () => {
  const a = { name: '@opens', func: 'count', rows: [{ keys: ['cat'], value: '2' }, { keys: ['sh'], value: '9' }, { keys: ['ls'], value: '1' }] };
  assert.equal(inlinePreview(a), '@opens: sh 9 · cat 2 · ls 1');
  assert.equal(inlinePreview(a, 20), '@opens: sh 9 · +2 more');
  assert.equal(inlinePreview({ name: '@', func: 'count', rows: [{ keys: [], value: '42' }] }), '@: 42');
  assert.equal(inlinePreview({ name: '@x', func: 'sum', rows: [] }), '@x: (empty)');
});

test('inline preview of a histogram: a sparkline per key, trimmed to its non-empty buckets', () => {
  const buckets = (counts: number[]) => counts.map((count, i) => ({ label: String(1 << i), count }));
  const a = { name: '@lat', func: 'quantize', rows: [{ keys: ['cat'], value: '', buckets: buckets([0, 3, 12, 5, 0]) }, { keys: ['sh'], value: '', buckets: buckets([40, 0, 1]) }] };
  assert.equal(inlinePreview(a), '@lat: sh ▕█ ▁▏ · cat ▕▂█▄▏');
});

test('hover shows every key; histograms drawn with @ bars over 40 columns', () => {
  const a = { name: '@lat', func: 'quantize', rows: [{ keys: ['cat'], value: '', buckets: [{ label: '1', count: 1 }, { label: '2', count: 3 }] }] };
  assert.equal(
    hoverMarkdown(a),
    [
      '**@lat** = `quantize()`, 1 key',
      '',
      '```text',
      '  cat',
      '           value  ------------- Distribution ------------- count',
      `               1 |${'@'.repeat(10).padEnd(40)} 1`,
      `               2 |${'@'.repeat(30).padEnd(40)} 3`,
      '',
      '```',
    ].join('\n'),
  );
});

test('histograms show the buckets dtrace prints: one empty bucket either side of the data', () => {
  const b = (counts: number[]) => counts.map((count, i) => ({ label: String(i), count }));
  assert.deepEqual(shownBuckets(b([0, 0, 0, 2, 0, 5, 0, 0])).map((x) => x.label), ['2', '3', '4', '5', '6']);
  assert.deepEqual(shownBuckets(b([7, 0, 0])).map((x) => x.label), ['0', '1']);
  assert.deepEqual(shownBuckets(b([0, 0, 1])).map((x) => x.label), ['1', '2']);
  assert.deepEqual(shownBuckets(b([0, 0])), []);
  const hover = hoverMarkdown({ name: '@lat', func: 'quantize', rows: [{ keys: [], value: '', buckets: b([0, 0, 0, 4, 0, 0]) }] });
  assert.deepEqual(hover.split('\n').filter((l) => l.includes('|')).map((l) => l.trim().split(' ')[0]), ['2', '3', '4']);
});

test('hover: keys from the trace stay inside the code block, whatever backticks they hold', () => {
  const hover = hoverMarkdown({ name: '@opens', func: 'count', rows: [{ keys: ['```\n[x](https://evil.example/) ![i](https://evil.example/i.png)'], value: '1' }] });
  const lines = hover.split('\n');
  assert.equal(lines[2], '````text');
  assert.equal(lines.at(-1), '````');
  assert.equal(lines.filter((l) => /^`{4}/.test(l)).length, 2);
});

test('events filter: probe, execname substring; pid, tid, index exactly; cpu as cpuN', () => {
  const e: PanelEvent = { index: 7, timestamp: '1', probe: 'syscall::read:entry', cpu: 1, pid: 501, tid: '502', execname: 'Cat', outcomes: [] };
  for (const f of ['', 'read', 'CAT', '501', '502', '7', 'cpu1', 'cpu 1']) assert.ok(eventMatches(e, f), f);
  for (const f of ['50', 'write', 'cpu0']) assert.ok(!eventMatches(e, f), f);
});

test('bar fractions against the largest magnitude', () => {
  assert.deepEqual(barFractions([1, 4, -2, 0]), [0.25, 1, 0.5, 0]);
  assert.deepEqual(barFractions([0, 0]), [0, 0]);
});
