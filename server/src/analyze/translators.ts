// Translators (`translator out < in *x > { ... };`) and the lookup `xlate` and typed probe
// arguments use: exact input type first, then any pointer-compatible input.
import type * as A from '../parse/ast';
import type { Compilation, Translator } from './compilation';
import { cook } from './expressions';
import { argCompatible } from './calls';
import { applyDeclarator, baseType, resolveTypeName } from './types/declarations';
import { isStructOrUnion, resolve, sameType, typeName, type CType } from './types/ctype';

export function findTranslator(c: Compilation, output: CType, input: CType): Translator | undefined {
  const out = resolve(output);
  const candidates = c.translators.filter((t) => resolve(t.output) === out || sameType(t.output, output));
  return candidates.find((t) => sameType(t.input, input)) ?? candidates.find((t) => argCompatible(t.input, input, undefined));
}

/**
 * dt_node_xlator then dt_cook_xlator: the declaration is checked once the parser has read its
 * closing `};`, so every error is reported at that line: redeclaration first, then the output
 * type, then each member in order.
 */
export function defineTranslator(c: Compilation, d: A.TranslatorDef): void {
  const line = d.span.end.row + 1;
  const fail: (tag: string, span: A.Span, message: string) => never = (tag, span, message) => c.error(tag, span, message, undefined, line);
  const output = resolveTypeName(c, d.output);
  const inBase = baseType(c, d.input.specs);
  const { name, type: input } = applyDeclarator(c, inBase, d.input.declarator);
  if (c.translators.some((t) => sameType(t.output, output) && sameType(t.input, input)))
    fail('D_XLATE_REDECL', d.span, `translator from ${typeName(input)} to ${typeName(output)} has already been declared`);
  const out = resolve(output);
  if ((out.kind === 'struct' || out.kind === 'union') && out.members === undefined)
    fail('D_XLATE_SOU', d.output.span, `incomplete struct/union/enum ${typeName(output)}`);
  if (!isStructOrUnion(output)) fail('D_XLATE_SOU', d.output.span, 'translator output type must be a struct or union');
  const sou = out as Extract<CType, { kind: 'struct' | 'union' }>;
  const tr: Translator = { output, input, members: new Map(), span: d.span };
  if (c.file !== undefined) tr.file = c.file;
  // The input parameter is visible inside member expressions as a global-like name.
  const saved = name !== undefined ? c.inlines.get(name) : undefined;
  if (name !== undefined) c.inlines.set(name, { name, type: input, value: { k: 'error', span: d.span }, definition: d.span });
  try {
    for (const m of d.members) {
      const member = sou.members?.find((x) => x.name === m.name);
      if (!member) fail('D_XLATE_MEMB', m.nameSpan, `translator member ${m.name} is not a member of ${typeName(output)}`);
      const v = cook(c, m.value);
      if (!argCompatible(member.type, v.type, v.constant))
        fail('D_XLATE_INCOMPAT', m.span, `translator member ${m.name} definition uses incompatible types: "${typeName(member.type)}" = "${typeName(v.type)}"`);
      tr.members.set(m.name, { value: m.value, type: v.type });
    }
  } finally {
    if (name !== undefined) {
      if (saved) c.inlines.set(name, saved);
      else c.inlines.delete(name);
    }
  }
  c.translators.push(tr);
}
