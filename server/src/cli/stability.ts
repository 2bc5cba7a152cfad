// `-v`: the stability report dtrace(1) prints after compiling a program.
export function stabilityReport(label: string): string {
  const block = (title: string, names: string, data: string, cls: string): string =>
    `\n\t${title}\n\t\tIdentifier Names: ${names}\n\t\tData Semantics:   ${data}\n\t\tDependency Class: ${cls}\n`;
  return (
    `Stability attributes for script ${label}:\n` +
    block('Minimum Probe Description Attributes', 'Evolving', 'Evolving', 'Common') +
    block('Minimum Statement Attributes', 'Stable', 'Stable', 'Common')
  );
}
