// DTrace builds every compiler message with a trailing newline and then cuts the message at
// its last newline; doing the same keeps odd cases (a newline inside a quoted name) exact.
export function withoutLastNewline(text: string): string {
  const i = text.lastIndexOf('\n');
  return i < 0 ? text : text.slice(0, i);
}
