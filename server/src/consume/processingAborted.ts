// dtrace(1) stops consuming when the C library refuses to format a record: its message is
// "processing aborted" with strerror's words, and it exits 1. glibc's printf refuses a width or
// precision past INT_MAX (EOVERFLOW); a JavaScript string holds about 2^29 characters, so a
// field is refused earlier, past WIDEST_FIELD bytes, with the same words.

export class ProcessingAborted extends Error {
  /** dtrace(1)'s line for it (without the newline). */
  get report(): string {
    return `dtrace: processing aborted: ${this.message}`;
  }
}

export const WIDEST_FIELD = 1 << 27;

export const EOVERFLOW_TEXT = 'Value too large for defined data type';
