// What the status bar says about a document's target system (pure: tested without VS Code).

/** The params of the server's `dtrace/flavour` notification. */
export interface FlavourParams {
  uri: string;
  flavour: string;
  reason: 'setting' | 'pragma' | 'guess' | 'default';
}

const LABELS: Record<string, string> = { freebsd: 'FreeBSD', illumos: 'illumos', macos: 'macOS', linux: 'Linux (replay)' };

const REASONS: Record<FlavourParams['reason'], { short: string; long: string }> = {
  setting: { short: '', long: 'chosen by the dtrace.flavour setting' },
  pragma: { short: ' (pragma)', long: 'required by a #pragma D depends_on line of the script' },
  guess: { short: ' (guessed)', long: 'guessed from the probes and kernel names the script uses' },
  default: { short: ' (default)', long: 'the default: nothing in the script says which system it is for' },
};

/** The status bar text and tooltip for a document's flavour. */
export function describeFlavour(p: FlavourParams): { text: string; tooltip: string } {
  const label = LABELS[p.flavour] ?? p.flavour;
  const reason = REASONS[p.reason] ?? { short: '', long: p.reason };
  return { text: `D: ${label}${reason.short}`, tooltip: `DTrace target system: ${label}, ${reason.long}. Click to choose another.` };
}

/** What the flavour picker offers: 'auto' first, then each system. */
export const FLAVOUR_CHOICES: readonly { value: string; label: string; description: string }[] = [
  { value: 'auto', label: 'Automatic', description: 'decide from each script (pragmas, probes, kernel names)' },
  ...Object.entries(LABELS).map(([value, label]) => ({ value, label, description: value })),
];

