// XML as libxo writes it: every field an element named after it, a list's instances each an
// element named after the list (the list itself has no element), no declaration. Compact: no
// whitespace at all; pretty: one element per line, indented by element depth. An empty value is
// `<module></module>`: libxo always writes both tags (the `<module/>` of dtrace(1)'s manual is
// xmllint's rewriting of its output).
import type { Field, Node } from './tree';

/** Text as XML character data; characters XML 1.0 cannot carry become U+FFFD. */
export function xmlText(s: string): string {
  return s.replace(/[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '\ufffd'));
}

/** The elements of one field (several for a list). */
export function xmlField(name: string, v: Node, depth: number, pretty: boolean, indent: number): string {
  const pad = pretty ? ' '.repeat(depth * indent) : '';
  const nl = pretty ? '\n' : '';
  if (v.k === 'number' || v.k === 'string') {
    return `${pad}<${name}>${xmlText(v.text)}</${name}>${nl}`;
  }
  if (v.k === 'list') return v.items.map((item) => xmlField(name, item, depth, pretty, indent)).join('');
  return `${pad}<${name}>${nl}${xmlFields(v.fields, depth + 1, pretty, indent)}${pad}</${name}>${nl}`;
}

export function xmlFields(fields: readonly Field[], depth: number, pretty: boolean, indent: number): string {
  return fields.map(([name, v]) => xmlField(name, v, depth, pretty, indent)).join('');
}
