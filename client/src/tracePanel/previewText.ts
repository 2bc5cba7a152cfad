// The text of inline aggregation previews and of the aggregation hover: pure functions of a
// PanelAggregation, so they are tested without VS Code.
import { shownBuckets, type PanelAggregation, type PanelAggregationRow } from '../../../server/src/debug/panelModel';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per bucket, height by count; an empty bucket is a space (the shape of a histogram at a glance). */
export function sparkline(counts: readonly number[]): string {
  let max = 0;
  for (const c of counts) max = Math.max(max, c);
  return counts.map((c) => (c <= 0 || max === 0 ? ' ' : BLOCKS[Math.min(7, Math.floor((c / max) * 7.999))]!)).join('');
}

function keyText(row: PanelAggregationRow): string {
  return row.keys.length === 0 ? '' : row.keys.join(', ');
}

/** Buckets from the first to the last non-empty one (dtrace's histograms trim the same way). */
function trimmed(row: PanelAggregationRow): number[] {
  const counts = (row.buckets ?? []).map((b) => b.count);
  let from = counts.findIndex((c) => c > 0);
  if (from < 0) return [];
  let to = counts.length - 1;
  while (counts[to] === 0) to--;
  return counts.slice(from, to + 1);
}

/**
 * The inline preview after an aggregation statement: the top keys by value
 * (`@opens: sh 9 · cat 2 · +1 more`), or a sparkline per key for histograms, at most `width` characters.
 */
export function inlinePreview(a: PanelAggregation, width = 80): string {
  if (a.rows.length === 0) return `${a.name}: (empty)`;
  const histogram = a.rows.some((r) => r.buckets !== undefined);
  const rows = histogram
    ? [...a.rows].sort((x, y) => total(y) - total(x))
    : [...a.rows].sort((x, y) => Number(y.value) - Number(x.value));
  const parts: string[] = [];
  let used = a.name.length + 2;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const k = keyText(r);
    const v = histogram ? `▕${sparkline(trimmed(r))}▏` : r.value;
    const part = k === '' ? v : `${k} ${v}`;
    const rest = rows.length - i - 1;
    const suffix = rest > 0 ? ` · +${rest} more` : '';
    if (parts.length > 0 && used + 3 + part.length + suffix.length > width) {
      parts.push(`+${rows.length - i} more`);
      break;
    }
    parts.push(part);
    used += part.length + 3;
  }
  return `${a.name}: ${parts.join(' · ')}`;
}

function total(r: PanelAggregationRow): number {
  return (r.buckets ?? []).reduce((s, b) => s + b.count, 0);
}

/** The hover over an aggregation: its whole table, or each key's histogram drawn as dtrace draws it. */
export function hoverMarkdown(a: PanelAggregation): string {
  const lines: string[] = [];
  if (a.rows.length === 0) lines.push('(no data yet)');
  for (const r of a.rows) {
    if (r.buckets !== undefined) {
      if (r.keys.length > 0) lines.push(`  ${keyText(r)}`);
      const sum = total(r);
      lines.push(`${'value'.padStart(16)}  ${'------------- Distribution -------------'} count`);
      for (const b of shownBuckets(r.buckets)) {
        const bars = sum === 0 ? 0 : Math.round((b.count / sum) * 40);
        lines.push(`${b.label.padStart(16)} |${'@'.repeat(bars).padEnd(40)} ${b.count}`);
      }
      lines.push('');
    } else {
      lines.push(`  ${keyText(r).padEnd(40)} ${r.value.padStart(16)}`);
    }
  }
  // Keys come from the trace: a fence longer than any run of backticks in them keeps them text
  // (a key holding ``` would otherwise close the block and the rest would render as Markdown).
  const body = lines.join('\n');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const heading = `**${a.name}** = \`${a.func}()\`, ${a.rows.length} key${a.rows.length === 1 ? '' : 's'}`;
  return [heading, '', `${fence}text`, body, fence].join('\n');
}
