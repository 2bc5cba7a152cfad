// DIF's integer registers as DTrace hands them out: the lowest free one first, %r0 never (it
// reads as zero). Running out is DTrace's D_NOREG, at the expression being compiled.
import { DIF_DIR_NREGS } from '../dif/opcodes';
import type { Span } from '../parse/ast';
import { CodegenError } from './errors';

export class RegisterSet {
  private readonly used: boolean[];

  constructor(readonly count: number = DIF_DIR_NREGS) {
    this.used = new Array<boolean>(count).fill(false);
    this.used[0] = true;
  }

  alloc(span: Span): number {
    for (let r = 1; r < this.count; r++) {
      if (!this.used[r]) {
        this.used[r] = true;
        return r;
      }
    }
    throw new CodegenError('D_NOREG', span, 'Insufficient registers to generate code');
  }

  free(r: number): void {
    if (r > 0) this.used[r] = false;
  }

  inUse(): number[] {
    const out: number[] = [];
    for (let r = 1; r < this.count; r++) if (this.used[r]) out.push(r);
    return out;
  }
}
