// The whole structured output as a stream: dtrace opens the `dtrace` container and its `probes`
// list when tracing starts, writes each probe's instance as it is consumed, and closes both when
// it ends (libxo's JSON then closes its outer object with "\n}\n"). ndjson (ours) writes each
// instance as one line of plain JSON instead, with nothing around it.
import type { OutputFormat } from '../../analyze/options/outputFormat';
import { compactJson, lineJson, prettyJson } from './jsonText';
import { withUnderscores, type Node, type ObjectNode } from './tree';
import { xmlFields, xmlText } from './xmlText';

export interface StructuredDocument {
  /** What precedes the first instance. */
  begin(): string;
  /** One instance of the `probes` list. */
  probe(o: ObjectNode): string;
  /** What follows the last one. */
  end(): string;
}

/** The writer for a structured format; undefined for the classic text output. */
export function structuredDocument(format: OutputFormat): StructuredDocument | undefined {
  const fix = (o: ObjectNode): ObjectNode => (format.underscores ? withUnderscores(o) : o);
  const { pretty, indent } = format;
  const pad = (d: number): string => ' '.repeat(d * indent);
  let count = 0;
  switch (format.style) {
    case 'json':
      if (!pretty) {
        return {
          begin: () => '{"dtrace": {"probes": [',
          probe: (o) => (count++ > 0 ? ', ' : '') + compactJson(fix(o)),
          end: () => ']}\n}\n',
        };
      }
      return {
        begin: () => `{\n${pad(1)}"dtrace": {\n${pad(2)}"probes": [`,
        probe: (o) => (count++ > 0 ? ',\n' : '\n') + pad(3) + prettyJson(fix(o), 3, indent),
        end: () => `\n${pad(2)}]\n${pad(1)}}\n}\n`,
      };
    case 'xml':
      return {
        begin: () => (pretty ? '<dtrace>\n' : '<dtrace>'),
        probe: (o) => {
          const f = fix(o);
          return pretty ? `${pad(1)}<probes>\n${xmlFields(f.fields, 2, true, indent)}${pad(1)}</probes>\n` : `<probes>${xmlFields(f.fields, 0, false, 0)}</probes>`;
        },
        end: () => (pretty ? '</dtrace>\n' : '</dtrace>'),
      };
    case 'html':
      return { begin: () => '', probe: (o) => htmlLine(fix(o)), end: () => '' };
    case 'ndjson':
      return { begin: () => '', probe: (o) => lineJson(fix(o)) + '\n', end: () => '' };
    default:
      return undefined;
  }
}

/**
 * libxo's HTML as dtrace(1)'s manual shows it: no structure, one `<div class="line">` per
 * instance, a data div per value on its own line, and an empty text div between the instance's
 * own fields (the spaces of dtrace's formats); the record values that follow have none.
 */
function htmlLine(o: ObjectNode): string {
  const data = (name: string, text: string): string => `<div class="data" data-tag="${xmlText(name)}">${xmlText(text)}</div>\n`;
  const walk = (name: string, v: Node): string => {
    if (v.k === 'object') return v.fields.map(([n, c]) => walk(n, c)).join('');
    if (v.k === 'list') return v.items.map((item) => walk(name, item)).join('');
    return data(name, v.text);
  };
  let out = '<div class="line">\n';
  o.fields.forEach(([name, v], i) => {
    const leaf = v.k === 'number' || v.k === 'string';
    const nextLeaf = o.fields[i + 1] !== undefined && (o.fields[i + 1]![1].k === 'number' || o.fields[i + 1]![1].k === 'string');
    out += walk(name, v);
    if (leaf && nextLeaf) out += '<div class="text"></div>\n';
  });
  return out + '</div>\n';
}
