// Where the target systems' kernels differ in what the VM emulates (beyond subroutine numbers,
// dif/platform.ts, and curthread's image, threadImages.ts).

/**
 * The largest alignment dtrace_load16/32/64 check (AddressSpace's loadAlignment): illumos and
 * FreeBSD on x86 check none (DTRACE_ALIGNCHECK is empty under __x86), Linux's port none either,
 * XNU checks MIN(size, 4) on every architecture.
 */
export function loadAlignmentOf(flavour: string): number {
  return flavour === 'macos' ? 4 : 0;
}

/**
 * What zonename reads outside any zone or jail: illumos's global zone; FreeBSD's zonename falls
 * through to jailname, the name of prison0 ("0").
 */
export function zoneNameOf(flavour: string): string {
  return flavour === 'freebsd' ? '0' : 'global';
}
