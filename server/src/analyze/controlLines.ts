// Control lines: `#pragma D option|attributes|binding|depends_on`, `#error`, `#ident`, `#line`,
// and the errors for everything else. Reference section 1.9.
import type * as A from '../parse/ast';
import type { Compilation } from './compilation';
import { applyPragmaOption } from './options/optionMessages';
import type { OptionSet } from './options/optionSet';

export interface PragmaHost {
  /** Whether a provider/module/library named by `#pragma D depends_on` is present. */
  hasDependency(kind: string, name: string): boolean;
}

/** Splits a control line into words: identifiers/options, integers and "strings". */
function words(text: string): string[] {
  return text.match(/"(?:[^"\\]|\\.)*"|[^\s"]+/g) ?? [];
}

export function checkControlLine(c: Compilation, line: A.ControlLine, host: PragmaHost, options: OptionSet): void {
  const text = line.text.trim();
  if (text.startsWith('#!')) return;
  const body = text.slice(1).trim();
  const w = words(body);
  const directive = w[0] ?? '';
  if (directive === '') return; // the null directive
  if (/^\d+$/.test(directive) || directive === 'line' || directive === 'ident') return;
  if (directive === 'error') c.error('D_PRAGERR', line.span, `#error: ${body.slice(5).trim()}`);
  if (directive !== 'pragma') c.error('D_PRAGCTL_INVAL', line.span, `invalid control directive: #${directive}`);
  const scope = w[1];
  if (scope === 'ident') return;
  if (scope === 'error') c.error('D_PRAGERR', line.span, `#pragma error: ${w.slice(2).join(' ')}`);
  if (scope !== 'D') return; // Other pragmas are ignored, as DTrace does.
  const kind = w[2];
  const args = w.slice(3);
  switch (kind) {
    case 'option': {
      // Our bounded-loop extension is not a DTrace option; it lives beside them.
      const bounded = /^boundedloops(?:=(\d+))?$/.exec(args[0] ?? '');
      if (bounded && args.length === 1) {
        c.settings.boundedLoops = Number(bounded[1] ?? 64);
        return;
      }
      const r = applyPragmaOption(options, args);
      if (!r.ok) c.error(r.code, line.span, r.message);
      if (r.name === 'destructive') c.settings.destructive = true;
      if (r.name === 'zdefs') c.settings.zdefs = true;
      if (r.name === 'defaultargs') c.settings.defaultargs = true;
      if (r.name === 'argref') c.settings.argref = true;
      if (r.name === 'strsize') c.settings.strsize = options.bytes('strsize') ?? c.settings.strsize;
      return;
    }
    case 'attributes':
      if (args.length !== 2 && !(args[1] === 'provider' && args.length === 4))
        c.error('D_PRAGMA_MALFORM', line.span, 'malformed #pragma attributes <attributes> <ident>');
      return;
    case 'binding':
      if (args.length !== 2) c.error('D_PRAGMA_MALFORM', line.span, 'malformed #pragma binding "version" <ident>');
      return;
    case 'depends_on': {
      if (args.length !== 2) c.error('D_PRAGMA_MALFORM', line.span, 'malformed #pragma depends_on <class> <name>');
      const [cls, name] = args as [string, string];
      if (cls !== 'provider' && cls !== 'module' && cls !== 'library')
        c.error('D_PRAGMA_INVAL', line.span, `invalid class ${cls} specified by #pragma depends_on`);
      if (!host.hasDependency(cls, name)) c.error('D_PRAGMA_DEPEND', line.span, `program requires ${cls} ${name}`);
      return;
    }
    default:
      c.error('D_PRAGMA_INVAL', line.span, `invalid D pragma: ${kind ?? ''}`);
  }
}
