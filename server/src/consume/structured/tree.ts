// What a structured output says, before it is written as JSON, XML or one line of JSON: libxo's
// model of output. An object holds named fields in order (a name may repeat, as libxo allows);
// a list holds instances (objects) or plain values. Numbers stay decimal text so that 64-bit
// values are written digit for digit, as libxo writes them.

export interface NumberLeaf {
  k: 'number';
  /** Decimal digits (with sign and fraction where there is one). */
  text: string;
}

export interface StringLeaf {
  k: 'string';
  /** Text (already decoded from the record's bytes). */
  text: string;
}

export type Leaf = NumberLeaf | StringLeaf;

export interface ObjectNode {
  k: 'object';
  fields: Field[];
}

export interface ListNode {
  k: 'list';
  items: (ObjectNode | Leaf)[];
}

export type Node = Leaf | ObjectNode | ListNode;
export type Field = readonly [name: string, value: Node];

export function num(v: bigint | number): NumberLeaf {
  return { k: 'number', text: v.toString() };
}

export function str(text: string): StringLeaf {
  return { k: 'string', text };
}

export function obj(...fields: Field[]): ObjectNode {
  return { k: 'object', fields };
}

export function list(items: (ObjectNode | Leaf)[]): ListNode {
  return { k: 'list', items };
}

/** Seconds and microseconds, as dtrace's `%ld.%06ld` timestamps read. */
export function secondsMicros(ns: bigint): NumberLeaf {
  const neg = ns < 0n;
  const us = (neg ? -ns : ns) / 1000n;
  const text = `${us / 1_000_000n}.${(us % 1_000_000n).toString().padStart(6, '0')}`;
  return { k: 'number', text: neg ? `-${text}` : text };
}

/** The same tree with every field name's `-` as `_` (libxo's `underscores`). */
export function withUnderscores(o: ObjectNode): ObjectNode {
  const convert = (n: Node): Node => (n.k === 'object' ? withUnderscores(n) : n.k === 'list' ? list(n.items.map((i) => convert(i) as ObjectNode | Leaf)) : n);
  return obj(...o.fields.map(([name, v]) => [name.replaceAll('-', '_'), convert(v)] as const));
}
