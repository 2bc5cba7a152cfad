// Several programs compiled against one handle (dtrace -n ... -n ..., -s with -n): the VM runs
// them as one program. Every face that enables several programs (the command line, later the
// debugger) merges them here.
import type { AggregationDesc, CompiledProgram, Enabling } from './program';

/**
 * Several -n/-s programs enabled together, as one handle holds them: enabling ids continue,
 * aggregations of the same name are one aggregation, formats are appended.
 */
export function mergePrograms(programs: CompiledProgram[]): CompiledProgram {
  const enablings: Enabling[] = [];
  const aggregations: AggregationDesc[] = [];
  const formats: string[] = [];
  for (const p of programs) {
    const aggMap = p.aggregations.map((a) => {
      let m = aggregations.find((x) => x.name === a.name);
      if (!m) {
        m = { ...a, id: aggregations.length + 1 };
        aggregations.push(m);
      }
      return m.id - 1;
    });
    const formatBase = formats.length;
    formats.push(...p.formats);
    for (const e of p.enablings) {
      enablings.push({
        ...e,
        epid: enablings.length + 1,
        actions: e.actions.map((a) => ({
          ...a,
          ...(a.aggregation !== undefined ? { aggregation: aggMap[a.aggregation] ?? a.aggregation } : {}),
          ...(a.format !== undefined ? { format: a.format + formatBase } : {}),
        })),
      });
    }
  }
  return { ...programs[0]!, enablings, aggregations, formats };
}
