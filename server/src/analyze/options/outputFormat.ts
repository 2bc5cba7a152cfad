// The value of FreeBSD's `oformat` option: libxo's option words, comma-separated (`json`,
// `xml,pretty`, `json,indent=4`). One word names the style; the others adjust it. `ndjson` is
// ours: one JSON object per line, for tools that read output as it comes. Read by the option
// table (to refuse a value libxo would refuse) and by the consumer (to pick the writer).
import type { OptionHandler } from './optionHandlers';
import { fail, ok } from './optionValues';

export type OutputStyle = 'text' | 'json' | 'xml' | 'html' | 'ndjson';

export interface OutputFormat {
  style: OutputStyle;
  /** libxo's `pretty`: newlines and indentation. */
  pretty: boolean;
  /** libxo's `indent=N`: spaces per level when pretty (libxo's default is 2). */
  indent: number;
  /** libxo's `underscores`: `-` in field names becomes `_`. */
  underscores: boolean;
}

const STYLES = new Set<string>(['text', 'json', 'xml', 'html', 'ndjson']);

/** libxo words that change nothing here: dtvm flushes every object and writes no warnings or colours. */
const ACCEPTED = new Set<string>(['flush', 'flush-line', 'warn', 'warn-xml', 'no-locale', 'no-humanize', 'color', 'no-color', 'keys', 'info', 'units', 'xpath']);

/** The format an `oformat` value asks for, or undefined when libxo would reject a word. */
export function parseOutputFormat(value: string): OutputFormat | undefined {
  const format: OutputFormat = { style: 'text', pretty: false, indent: 2, underscores: false };
  for (const raw of value.split(',')) {
    const word = raw.trim().toLowerCase();
    // libxo skips empty words: an empty value changes nothing (the classic text).
    if (word === '') continue;
    if (STYLES.has(word)) format.style = word as OutputStyle;
    else if (word === 'pretty') format.pretty = true;
    else if (word === 'underscores') format.underscores = true;
    else if (word.startsWith('indent=')) {
      const n = word.slice('indent='.length);
      if (!/^[0-9]{1,2}$/.test(n)) return undefined;
      format.indent = Number(n);
    } else if (!ACCEPTED.has(word)) return undefined;
  }
  return format;
}

/** The option's handler: a value libxo would refuse is EDT_BADOPTVAL, as for any option. */
export function oformatHandler(): OptionHandler {
  return (value) => {
    if (value === undefined || parseOutputFormat(value) === undefined) return fail('EDT_BADOPTVAL');
    return ok({ kind: 'text', value });
  };
}
