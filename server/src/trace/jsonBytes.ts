// The bytes the hand scanners of trace lines look for (scan.ts, columns.ts), and the limits of
// the firing fields they check.
export const INT32_MAX = 0x7fffffff;
export const UINT32_MAX = 0xffffffff;
export const SPACE = 0x20;
export const TAB = 0x09;
export const CR = 0x0d;
export const LF = 0x0a;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const MINUS = 0x2d;
export const ZERO = 0x30;
export const NINE = 0x39;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const COLON = 0x3a;
export const LOWER_U = 0x75;
