// Names that stand for something only inside a definition: a translator's input parameter
// and an inline array's keys. The front end cooks them as inlines whose value is a
// placeholder (an `error` node); the code generator binds them to registers or subscripts.
import type * as A from '../parse/ast';
import type { Compilation, Translator } from '../analyze/compilation';
import { child, childCount, type Cooked } from '../analyze/cooked';
import type { InlineInfo } from '../analyze/symbols';

/** The placeholders an expression refers to, in order of first mention. */
function placeholders(c: Compilation, e: A.Expr, out: string[]): string[] {
  const i = c.typed.get(e) as Cooked | undefined;
  if ((e.k === 'ident' || e.k === 'macro') && i?.ident?.inline?.value.k === 'error' && !out.includes(i.ident.inline.name)) out.push(i.ident.inline.name);
  if (e.k !== 'ident' && e.k !== 'macro') for (let n = 0, k = childCount(e); n < k; n++) placeholders(c, child(e, n), out);
  return out;
}

const inputNames = new WeakMap<Translator, string>();

/** The name a translator's member expressions use for its input (`translator T < in *p >`). */
export function translatorInputName(c: Compilation, t: Translator): string | undefined {
  let name = inputNames.get(t);
  if (name === undefined) {
    name = '';
    for (const m of t.members.values()) {
      name = placeholders(c, m.value, [])[0] ?? '';
      if (name) break;
    }
    inputNames.set(t, name);
  }
  return name || undefined;
}

/** Key names of an inline array (`inline fileinfo_t fds[int fd] = ...`), as its definition uses them. */
export function inlineKeyNames(c: Compilation, inline: InlineInfo): string[] {
  return placeholders(c, inline.value, []);
}
