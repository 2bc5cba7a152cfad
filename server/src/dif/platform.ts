// The DTrace lineages whose DIF details differ (subroutine numbers, a few built-ins, the
// disassembler's number formats). illumos is the default everywhere (reference §4.1).

export type DifPlatform = 'illumos' | 'opendtrace' | 'freebsd';

export const DEFAULT_PLATFORM: DifPlatform = 'illumos';

export const DIF_PLATFORMS: readonly DifPlatform[] = ['illumos', 'opendtrace', 'freebsd'];
