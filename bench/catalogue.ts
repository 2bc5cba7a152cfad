// Probe matching on a 100,000-probe catalogue, against a plain scan that tests every probe with
// one regular expression per field, in the same run.
import { createStandardCatalogue, type ProbeDescription, type ProbeTemplate } from '../server/src/analyze/catalogue';
import { formatMs, median, type BenchResult } from './report';

function globToRegExp(glob: string): RegExp {
  if (glob === '') return /^/;
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.').replace(/\[!/g, '[^');
  return new RegExp(`^${body}$`);
}

export function benchCatalogue(): BenchResult[] {
  const templates: ProbeTemplate[] = [];
  for (let i = 0; i < 50_000; i++) templates.push({ module: `mod${i % 300}`, function: `func_${i}_read`, name: 'entry' }, { module: `mod${i % 300}`, function: `func_${i}_read`, name: 'return' });
  const catalogue = createStandardCatalogue([{ name: 'fbt', probes: templates }]);
  const all = catalogue.match({ provider: '', module: '', function: '', name: '' }).concat(catalogue.match({ provider: 'dtrace', module: '', function: '', name: '' }));
  const descs: ProbeDescription[] = [
    { provider: 'fbt', module: '', function: 'func_777_read', name: 'entry' },
    { provider: 'fbt', module: 'mod1', function: '', name: '' },
    { provider: 'fbt', module: '', function: '*_1234*', name: 'entry' },
    { provider: 'f?t', module: 'mod[0-9]', function: '*read', name: 'e*' },
  ];
  const time = (f: () => void): number => {
    const runs: number[] = [];
    for (let k = 0; k < 9; k++) {
      const t = performance.now();
      f();
      runs.push(performance.now() - t);
    }
    return median(runs);
  };
  const ours = time(() => descs.forEach((d) => catalogue.match(d)));
  const naive = time(() =>
    descs.forEach((d) => {
      const r = [globToRegExp(d.provider), globToRegExp(d.module), globToRegExp(d.function), globToRegExp(d.name)];
      all.filter((p) => r[0]!.test(p.provider) && r[1]!.test(p.module) && r[2]!.test(p.function) && r[3]!.test(p.name));
    }),
  );
  return [
    {
      name: `match 4 descriptions against ${catalogue.size} probes`,
      value: formatMs(ours),
      baseline: `a regular-expression scan ${formatMs(naive)}`,
      ratio: ours / naive,
      ratioLabel: 'catalogue / scan',
    },
  ];
}
