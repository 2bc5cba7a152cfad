// The instructions of one DIF object while it is generated: branches name labels, and an
// instruction may carry the labels that point at it (DTrace's dt_irlist). Resolving the labels
// gives the final words; every branch the generator makes goes forward.
import { makeBranchWord } from '../dif/encoding';

interface Item {
  word: number;
  /** Label id this instruction branches to. */
  target?: number;
}

export class InstructionList {
  private readonly items: Item[] = [];
  private readonly labelAt = new Map<number, number>();
  private nextLabel = 1;

  label(): number {
    return this.nextLabel++;
  }

  get length(): number {
    return this.items.length;
  }

  /** Appends an instruction, placing `label` (if any) on it; returns its index. */
  emit(word: number, label?: number): number {
    if (label !== undefined) this.labelAt.set(label, this.items.length);
    this.items.push({ word });
    return this.items.length - 1;
  }

  branch(opcode: number, target: number, label?: number): void {
    const at = this.emit(makeBranchWord(opcode, 0), label);
    this.items[at]!.target = target;
  }

  /** Rewrites an instruction already emitted (the ternary operator's patched `mov`). */
  patch(index: number, word: number): void {
    this.items[index]!.word = word;
  }

  words(): number[] {
    return this.items.map((item, pc) => {
      if (item.target === undefined) return item.word;
      const to = this.labelAt.get(item.target);
      if (to === undefined || to <= pc) throw new Error(`internal error: branch at ${pc} to label ${item.target} is not forward`);
      return (item.word | to) >>> 0;
    });
  }
}
