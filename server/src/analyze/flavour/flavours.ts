// The target systems a script is written for. Each has its own D library, probe catalogue and
// kernel types; the language itself is the same everywhere.

export const FLAVOURS = ['freebsd', 'illumos', 'macos', 'linux'] as const;
export type Flavour = (typeof FLAVOURS)[number];

/** How the flavour of a script was decided, strongest first. */
export type FlavourReason = 'setting' | 'pragma' | 'guess' | 'default';

export interface FlavourChoice {
  readonly name: Flavour;
  readonly reason: FlavourReason;
  /** What decided it, for the editor ("depends_on provider audit", "curthread->td_proc"). */
  readonly evidence?: string;
}

/**
 * FreeBSD when nothing else decides: its DTrace is the one most people can run today, and our
 * first D library modelled it.
 */
export const DEFAULT_FLAVOUR: Flavour = 'freebsd';

export function isFlavour(name: string): name is Flavour {
  return (FLAVOURS as readonly string[]).includes(name);
}

/** The flavour's name as people write it. */
export const FLAVOUR_LABELS: Readonly<Record<Flavour, string>> = {
  freebsd: 'FreeBSD',
  illumos: 'illumos',
  macos: 'macOS',
  linux: 'Linux (replay)',
};

export interface FlavourTraits {
  /** The D type of `curthread` (reference section 3). */
  readonly curthread: string;
  /** The module fbt gives a kernel function when the description leaves the module open. */
  readonly kernelModule: string;
  /**
   * Providers whose probes cannot be listed completely (any well-formed description is
   * accepted), besides `pid<N>` and USDT `name<N>`, which are open everywhere.
   */
  readonly openProviders: readonly string[];
}

export const FLAVOUR_TRAITS: Readonly<Record<Flavour, FlavourTraits>> = {
  freebsd: { curthread: 'struct thread *', kernelModule: 'kernel', openProviders: ['fbt', 'kinst'] },
  // illumos's cpc names its probes after the counter asked for (PAPI_tot_ins-all-10000): open too.
  illumos: { curthread: 'kthread_t *', kernelModule: 'genunix', openProviders: ['fbt', 'sdt', 'cpc'] },
  macos: { curthread: 'struct thread *', kernelModule: 'mach_kernel', openProviders: ['fbt', 'sdt'] },
  // Replayed strace captures: no kernel instrumentation, but Linux's own DTrace has fbt.
  linux: { curthread: 'struct task_struct *', kernelModule: 'vmlinux', openProviders: ['fbt'] },
};
