// The header of a front-end corpus case: DTrace's verdict (`expect:`), extra dtrace(1)
// arguments (`args:`) and macro operands (`operands:`).
export interface CaseHeader {
  expect: string;
  args: string[];
  operands: string[];
}

export function readHeader(text: string): CaseHeader {
  const header = /^\/\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
  // Only leading blanks are dropped: some DTrace messages end with a space (`#error: stop `).
  const field = (name: string): string | undefined => new RegExp(`^\\s*\\*?\\s*${name}:[ \\t]*(.*)$`, 'm').exec(header)?.[1]?.replace(/\r$/, '');
  const words = (s: string | undefined): string[] => (s ? s.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"(.*)"$/, '$1')) : []);
  return { expect: field('expect') ?? '', args: words(field('args')), operands: words(field('operands')) };
}

