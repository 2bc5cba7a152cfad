// Semantic tokens: what the grammar's highlighting cannot know. The four fields of a probe
// description each get their own type; variables say their scope (global, thread-local,
// clause-local) and aggregations theirs in modifiers; built-ins are `defaultLibrary`; macro
// variables are macros. Standard token types, so every theme colours them.
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { Feature } from '../featureContext';
import { FUNCTIONS_BY_NAME } from '../../analyze/builtins/functions';
import { symbolIndexOf, watchAnalyses, type SymbolIndex } from '../symbols/symbolIndex';
import type { Occurrence } from '../symbols/occurrences';

export const TOKEN_TYPES = [
  'namespace', // probe provider
  'class', // probe module
  'function', // probe function; built-in subroutines, actions, aggregating functions
  'event', // probe name
  'variable',
  'property', // struct and translator members
  'parameter',
  'type',
  'struct',
  'enum',
  'enumMember',
  'macro',
] as const;

export const TOKEN_MODIFIERS = [
  'declaration',
  'modification',
  'readonly',
  'defaultLibrary',
  'global',
  'threadLocal',
  'clauseLocal',
  'aggregation',
  'action',
  'destructive',
] as const;

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
type Modifier = (typeof TOKEN_MODIFIERS)[number];

const bit = (m: Modifier): number => 1 << TOKEN_MODIFIERS.indexOf(m);
const typeIndex = (t: TokenType): number => TOKEN_TYPES.indexOf(t);

function roleBits(o: Occurrence): number {
  return o.role === 'definition' ? bit('declaration') : o.role === 'write' ? bit('modification') : 0;
}

/** The token of an occurrence: its type and modifier bits, or undefined when it gets none. */
export function tokenOf(o: Occurrence): [number, number] | undefined {
  switch (o.kind) {
    case 'probeProvider':
      return [typeIndex('namespace'), 0];
    case 'probeModule':
      return [typeIndex('class'), 0];
    case 'probeFunction':
      return [typeIndex('function'), 0];
    case 'probeName':
      return [typeIndex('event'), 0];
    case 'global':
      return [typeIndex('variable'), bit('global') | roleBits(o)];
    case 'thread':
      return [typeIndex('variable'), bit('threadLocal') | roleBits(o)];
    case 'clause':
      return [typeIndex('variable'), bit('clauseLocal') | roleBits(o)];
    case 'aggregation':
      return [typeIndex('variable'), bit('aggregation') | roleBits(o)];
    case 'inline':
      return [typeIndex('variable'), bit('readonly') | roleBits(o)];
    case 'builtin':
    case 'builtinArray':
      return [typeIndex('variable'), bit('readonly') | bit('defaultLibrary')];
    case 'function': {
      const f = FUNCTIONS_BY_NAME.get(o.name);
      let bits = bit('defaultLibrary');
      if (f?.kind === 'action') bits |= bit('action');
      if (f?.kind === 'aggregating') bits |= bit('aggregation');
      if (f?.destructive) bits |= bit('destructive');
      return [typeIndex('function'), bits];
    }
    case 'macro':
      return [typeIndex('macro'), 0];
    case 'typedef':
      return [typeIndex('type'), roleBits(o)];
    case 'tag':
      return [typeIndex(o.name.startsWith('enum ') ? 'enum' : 'struct'), roleBits(o)];
    case 'enumerator':
      return [typeIndex('enumMember'), roleBits(o)];
    case 'param':
      return [typeIndex('parameter'), roleBits(o)];
    case 'member':
      return [typeIndex('property'), roleBits(o)];
    case 'translator':
      // Its name is its output type's, which has its own token.
      return undefined;
  }
}

/** The tokens between two offsets, encoded as LSP's relative five-integer groups. */
export function encodeTokens(index: SymbolIndex, from = 0, to = Infinity): number[] {
  const data: number[] = [];
  let line = 0;
  let char = 0;
  let lastStart = -1;
  for (const o of index.occurrences) {
    if (o.end < from || o.start > to || o.start === lastStart) continue;
    const token = tokenOf(o);
    if (!token || o.end <= o.start) continue;
    lastStart = o.start;
    const p = index.lines.position(o.start);
    data.push(p.line - line, p.line === line ? p.character - char : p.character, o.end - o.start, token[0], token[1]);
    line = p.line;
    char = p.character;
  }
  return data;
}

/** The whole document's tokens, once per index (editors ask again on every focus and scroll). */
const fullTokens = new WeakMap<SymbolIndex, number[]>();

export const semanticTokensFeature: Feature = (ctx) => {
  watchAnalyses(ctx);
  ctx.connection.languages.semanticTokens.on(async (params, token): Promise<SemanticTokens> => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return { data: [] };
    const index = symbolIndexOf(doc, ctx.parser);
    let data = fullTokens.get(index);
    if (!data) fullTokens.set(index, (data = encodeTokens(index)));
    return { data };
  });
  ctx.connection.languages.semanticTokens.onRange(async (params, token): Promise<SemanticTokens> => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return { data: [] };
    const index = symbolIndexOf(doc, ctx.parser);
    return { data: encodeTokens(index, index.lines.offset(params.range.start), index.lines.offset(params.range.end)) };
  });
  return { semanticTokensProvider: { legend: LEGEND, full: true, range: true } };
};
