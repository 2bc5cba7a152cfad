// -F (flowindent): entry probes indent the following lines by two, return probes take it back,
// and the probe column shows `->`/`<-` (`=>`/`<=` for the syscall provider). The heuristics
// that skip indenting when one probe fires several enablings are dtrace's (dt_flowindent).
import type { FiringData } from '../vm/records';
import type { ProbeName } from './messages';

type Flow = 'none' | 'entry' | 'return';

function endsWithWord(name: string, word: string): boolean {
  return name === word || name.endsWith('-' + word);
}

export class FlowIndent {
  private indent = 0;
  private lastEpid: number | undefined;
  private lastProbe: number | undefined;

  /** The FUNCTION column text for this firing (before padding). */
  line(f: FiringData, probe: ProbeName | undefined, next: FiringData | undefined): string {
    const name = probe?.name ?? '';
    const func = probe?.function ?? '';
    const syscall = probe?.provider === 'syscall';
    let flow: Flow = endsWithWord(name, 'entry') ? 'entry' : endsWithWord(name, 'return') ? 'return' : 'none';
    // The same probe seen again through another enabling does not indent again.
    if (flow === 'entry' && this.lastEpid !== undefined && f.epid !== this.lastEpid && f.probeId === this.lastProbe) flow = 'none';
    if (flow === 'return' && next && next.epid !== f.epid && next.probeId === f.probeId) flow = 'none';
    const prefix = flow === 'entry' ? (syscall ? ' => ' : ' -> ') : flow === 'return' ? (syscall ? ' <= ' : ' <- ') : '| ';
    if (flow === 'return' && this.indent > 0) this.indent -= 2;
    const text = ' '.repeat(this.indent) + prefix + func + (flow === 'none' ? `:${name}` : '');
    if (flow === 'entry') this.indent += 2;
    this.lastEpid = f.epid;
    this.lastProbe = f.probeId;
    return text;
  }
}
