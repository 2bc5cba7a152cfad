// Signature help inside the parentheses of a subroutine, action or aggregating function: its
// signature with named parameters, its documentation and the parameter being typed.
import type { ParameterInformation, SignatureHelp } from 'vscode-languageserver';
import type { Feature } from '../featureContext';
import { FUNCTIONS_BY_NAME } from '../../analyze/builtins/functions';
import { FUNCTION_DOCS } from '../../analyze/builtins/docs';
import { functionKindText, functionSignature } from '../symbols/describe';
import { cursorContext } from '../symbols/cursorContext';
import { symbolIndexOf, watchAnalyses, type SymbolIndex } from '../symbols/symbolIndex';

/** The parameters of a signature, as [start, end) offsets into it (split at top-level commas). */
export function parameterRanges(signature: string): [number, number][] {
  const open = signature.indexOf('(');
  const close = signature.lastIndexOf(')');
  const out: [number, number][] = [];
  if (open < 0 || close <= open + 1) return out;
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i <= close; i++) {
    const ch = signature[i]!;
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && i < close) depth--;
    if ((ch === ',' && depth === 0) || i === close) {
      let s = start;
      while (signature[s] === ' ') s++;
      out.push([s, i]);
      start = i + 1;
    }
  }
  return out;
}

export function signatureHelpAt(index: SymbolIndex, offset: number): SignatureHelp | null {
  const context = cursorContext(index.doc.text, offset, index.scanStart(offset));
  if (context.region === 'comment' || context.region === 'heading' || context.region === 'control') return null;
  for (let i = context.calls.length - 1; i >= 0; i--) {
    const call = context.calls[i]!;
    const f = call.name ? FUNCTIONS_BY_NAME.get(call.name) : undefined;
    if (!f) {
      // Inside a call of something else (a parenthesis, a cast): no help.
      if (call.name) return null;
      continue;
    }
    const label = functionSignature(f);
    const ranges = parameterRanges(label);
    const parameters: ParameterInformation[] = ranges.map(([s, e]) => ({ label: [s, e] }));
    let active = call.argument;
    if (ranges.length === 0) active = 0;
    else if (active >= ranges.length) {
      const last = label.slice(...ranges[ranges.length - 1]!);
      active = last === '...' ? ranges.length - 1 : ranges.length;
    }
    return {
      signatures: [
        {
          label,
          documentation: { kind: 'markdown', value: `${functionKindText(f)}.\n\n${FUNCTION_DOCS[f.name]?.doc ?? f.doc}` },
          parameters,
          activeParameter: active,
        },
      ],
      activeSignature: 0,
      activeParameter: active,
    };
  }
  return null;
}

export const signatureHelpFeature: Feature = (ctx) => {
  watchAnalyses(ctx);
  ctx.connection.onSignatureHelp(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const index = symbolIndexOf(doc, ctx.parser);
    return signatureHelpAt(index, index.lines.offset(params.position));
  });
  return { signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] } };
};
