// JSON as libxo writes it. Compact: a leaf is `"name":value` after a `,`; an object or list is
// `"name": {` / `"name": [` after `, `; instances follow each other after `, `. Pretty: one item
// per line, indented by level, `"name": value`. Plus plain one-line JSON for ndjson. Numbers are
// written from their digits, so 64-bit values are exact.
import type { Leaf, Node, ObjectNode } from './tree';

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A JSON string literal; every control character is escaped so that any JSON parser reads it. */
export function jsonString(s: string): string {
  return '"' + s.replace(/["\\\u0000-\u001f\u007f]/g, (c) => ESCAPES[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '"';
}

function isLeaf(n: Node): n is Leaf {
  return n.k === 'number' || n.k === 'string';
}

function leafText(l: Leaf): string {
  return l.k === 'number' ? l.text : jsonString(l.text);
}

/** libxo's compact JSON of one object or list. */
export function compactJson(n: ObjectNode | Node): string {
  if (isLeaf(n)) return leafText(n);
  if (n.k === 'object') {
    let s = '{';
    n.fields.forEach(([name, v], i) => {
      const leaf = isLeaf(v);
      if (i > 0) s += leaf ? ',' : ', ';
      s += jsonString(name) + (leaf ? ':' + leafText(v) : ': ' + compactJson(v));
    });
    return s + '}';
  }
  let s = '[';
  n.items.forEach((item, i) => {
    const leaf = isLeaf(item);
    if (i > 0) s += leaf ? ',' : ', ';
    s += compactJson(item);
  });
  return s + ']';
}

/** libxo's pretty JSON of a node whose first line sits at `depth` levels. */
export function prettyJson(n: Node, depth: number, indent: number): string {
  if (isLeaf(n)) return leafText(n);
  const pad = (d: number): string => ' '.repeat(d * indent);
  const [open, close] = n.k === 'object' ? ['{', '}'] : ['[', ']'];
  let s = open;
  const items: string[] =
    n.k === 'object'
      ? n.fields.map(([name, v]) => jsonString(name) + ': ' + prettyJson(v, depth + 1, indent))
      : n.items.map((item) => prettyJson(item, depth + 1, indent));
  items.forEach((text, i) => (s += (i > 0 ? ',\n' : '\n') + pad(depth + 1) + text));
  return s + '\n' + pad(depth) + close;
}

/** Plain JSON on one line (no spaces), for ndjson. */
export function lineJson(n: Node): string {
  if (isLeaf(n)) return leafText(n);
  if (n.k === 'object') return '{' + n.fields.map(([name, v]) => jsonString(name) + ':' + lineJson(v)).join(',') + '}';
  return '[' + n.items.map(lineJson).join(',') + ']';
}
