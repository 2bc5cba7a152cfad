// Document symbols: the outline of a D script. Clauses are named by their probe descriptions
// (with the predicate as detail), declarations by the names they declare (struct, union and
// enum definitions with their members), inlines, translators with their members, and USDT
// providers with their probes. Built from the front end's AST of the current version.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type * as A from '../../parse/ast';
import type { AnalyzedDocument, Feature } from '../featureContext';
import { rangeOfSpan } from '../symbols/lineIndex';
import { declaratorName } from '../symbols/occurrences';

export const documentSymbolsFeature: Feature = (ctx) => {
  ctx.connection.onDocumentSymbol(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    return doc ? documentSymbols(doc) : null;
  });
  return { documentSymbolProvider: true };
};


/** Collapses runs of white space (a description or predicate written over several lines). */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function documentSymbols(doc: AnalyzedDocument): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const item of doc.result.program.items) out.push(...itemSymbols(item, doc.text));
  return out;
}

function itemSymbols(item: A.TopLevel, text: string): DocumentSymbol[] {
  const source = (s: A.Span): string => text.slice(s.startIndex, s.endIndex);
  switch (item.k) {
    case 'clause': {
      if (item.descriptions.length === 0) return [];
      const first = item.descriptions[0]!.span;
      const last = item.descriptions[item.descriptions.length - 1]!.span;
      const symbol: DocumentSymbol = {
        name: item.descriptions.map((d) => oneLine(d.text)).join(', '),
        kind: SymbolKind.Event,
        range: rangeOfSpan(item.span),
        selectionRange: rangeOfSpan({ start: first.start, end: last.end }),
      };
      if (item.predicate) symbol.detail = `/${oneLine(source(item.predicate.span))}/`;
      return [symbol];
    }
    case 'declaration': {
      const symbols: DocumentSymbol[] = [];
      const tagged = typeSymbol(item.specs.base, text);
      if (tagged) symbols.push(tagged);
      for (const d of item.declarators) {
        const name = declaratorName(d);
        if (!name) continue;
        const fn = isFunction(d);
        symbols.push({
          name: name.name,
          detail: item.typedef ? `typedef ${typeText(item.specs, d, text)}` : typeText(item.specs, d, text),
          kind: item.typedef ? SymbolKind.Class : fn ? SymbolKind.Function : SymbolKind.Variable,
          range: rangeOfSpan(item.declarators.length === 1 ? item.span : d.span),
          selectionRange: rangeOfSpan(name.span),
        });
      }
      return symbols;
    }
    case 'inline': {
      const name = declaratorName(item.declarator);
      if (!name) return [];
      return [
        {
          name: name.name,
          detail: `inline ${typeText(item.specs, item.declarator, text)} = ${oneLine(source(item.value.span))}`,
          kind: SymbolKind.Constant,
          range: rangeOfSpan(item.span),
          selectionRange: rangeOfSpan(name.span),
        },
      ];
    }
    case 'translator': {
      const output = oneLine(source(item.output.span));
      const input = oneLine(source(item.input.span));
      return [
        {
          name: `translator ${output} < ${input} >`,
          kind: SymbolKind.Interface,
          range: rangeOfSpan(item.span),
          selectionRange: rangeOfSpan(item.output.span),
          children: item.members.map((m) => ({
            name: m.name,
            detail: oneLine(source(m.value.span)),
            kind: SymbolKind.Field,
            range: rangeOfSpan(m.span),
            selectionRange: rangeOfSpan(m.nameSpan),
          })),
        },
      ];
    }
    case 'provider':
      return [
        {
          name: `provider ${item.name}`,
          kind: SymbolKind.Module,
          range: rangeOfSpan(item.span),
          selectionRange: rangeOfSpan(nameAt(text, item.span, item.name, 'provider'.length)),
          children: item.probes.map((p) => ({
            name: p.name,
            detail: `probe ${p.name}(${p.params.map((x) => oneLine(source(x.span))).join(', ')}${p.varargs ? ', ...' : ''})`,
            kind: SymbolKind.Event,
            range: rangeOfSpan(p.span),
            selectionRange: rangeOfSpan(nameAt(text, p.span, p.name, 'probe'.length)),
          })),
        },
      ];
    case 'control':
      return [];
  }
}

/** A struct, union or enum the declaration defines (with a body), as a symbol with members. */
function typeSymbol(base: A.BaseSpec | undefined, text: string): DocumentSymbol | undefined {
  if (!base) return undefined;
  if (base.k === 'sou' && base.members) {
    const children: DocumentSymbol[] = [];
    for (const f of base.members) {
      for (const d of f.declarators) {
        const name = declaratorName(d);
        if (!name) continue;
        children.push({
          name: name.name,
          detail: typeText(f.specs, d, text),
          kind: SymbolKind.Field,
          range: rangeOfSpan(f.declarators.length === 1 ? f.span : d.span),
          selectionRange: rangeOfSpan(name.span),
        });
      }
    }
    return {
      name: `${base.kind} ${base.tag ?? '(anonymous)'}`,
      kind: SymbolKind.Struct,
      range: rangeOfSpan(base.span),
      selectionRange: rangeOfSpan(base.span),
      children,
    };
  }
  if (base.k === 'enum' && base.enumerators) {
    return {
      name: `enum ${base.tag ?? '(anonymous)'}`,
      kind: SymbolKind.Enum,
      range: rangeOfSpan(base.span),
      selectionRange: rangeOfSpan(base.span),
      children: base.enumerators.map((e) => ({
        name: e.name,
        kind: SymbolKind.EnumMember,
        range: rangeOfSpan(e.span),
        selectionRange: rangeOfSpan(nameAt(text, e.span, e.name, 0)),
      })),
    };
  }
  return undefined;
}

/** The span of `name`, first met after `skip` characters of `within` (a keyword before it). */
function nameAt(text: string, within: A.Span, name: string, skip: number): A.Span {
  const at = text.indexOf(name, within.startIndex + skip);
  if (at === -1 || at + name.length > within.endIndex) return within;
  const before = text.slice(within.startIndex, at);
  const rows = before.split('\n');
  const row = within.start.row + rows.length - 1;
  const column = rows.length === 1 ? within.start.column + before.length : rows[rows.length - 1]!.length;
  return { start: { row, column }, end: { row, column: column + name.length }, startIndex: at, endIndex: at + name.length };
}

function isFunction(d: A.Declarator): boolean {
  for (let x: A.Declarator = d; x.k !== 'name' && x.k !== 'abstract'; x = x.inner) if (x.k === 'function') return true;
  return false;
}

/**
 * The declared type as written: the specifiers (without a struct body), then the declarator
 * without its name (`int *[8]`).
 */
function typeText(specs: A.DeclSpecs, d: A.Declarator, text: string): string {
  const base = specs.base;
  let head: string;
  if (base && (base.k === 'sou' || base.k === 'enum') && (base.k === 'sou' ? base.members : base.enumerators)) {
    head = [...specs.qualifiers, `${base.k === 'sou' ? base.kind : 'enum'} ${base.tag ?? '(anonymous)'}`].join(' ');
  } else {
    head = oneLine(text.slice(specs.span.startIndex, specs.span.endIndex))
      .split(' ')
      .filter((w) => w !== 'typedef' && w !== 'extern' && w !== 'static')
      .join(' ');
  }
  const name = declaratorName(d);
  const decl = name ? text.slice(d.span.startIndex, name.span.startIndex) + text.slice(name.span.endIndex, d.span.endIndex) : text.slice(d.span.startIndex, d.span.endIndex);
  const rest = oneLine(decl);
  return rest ? `${head} ${rest}` : head;
}
