// The system-call catalogues (server/lib/flavours/*/providers/syscall.json) and the typed kernel
// functions of fbt (server/lib/flavours/*/kernel-functions.json): the files read cleanly, hold
// what each system's DTrace offers (names, modules, argument counts and types), and the real
// dtvm lists and compiles against them under each flavour.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProviderFile } from '../../server/src/analyze/catalogue/provider-file';
import type { ProbeTemplate, ProviderDefinition } from '../../server/src/analyze/catalogue/types';
import { flavourData, libraryRoot } from '../../server/src/analyze/flavour/flavourData';
import { FLAVOURS, type Flavour } from '../../server/src/analyze/flavour/flavours';
import { TypeTable } from '../../server/src/analyze/types/typeTable';
import { typeName } from '../../server/src/analyze/types/ctype';
import { dtvm } from '../support/runDtvm';

const flavourDir = (f: Flavour) => join(libraryRoot(), 'flavours', f);

const parsed = new Map<Flavour, ProviderDefinition>();
function syscallProvider(f: Flavour): ProviderDefinition {
  let provider = parsed.get(f);
  if (!provider) {
    const file = join(flavourDir(f), 'providers', 'syscall.json');
    const providers = parseProviderFile(readFileSync(file, 'utf8'), file);
    assert.deepEqual(
      providers.map((p) => p.name),
      ['syscall'],
    );
    parsed.set(f, (provider = providers[0]!));
  }
  return provider;
}

const probes = (f: Flavour): readonly ProbeTemplate[] => syscallProvider(f).probes ?? [];
const probe = (f: Flavour, func: string, name: 'entry' | 'return', module?: string) =>
  probes(f).find((p) => p.function === func && p.name === name && (module === undefined || p.module === module));
const argTypes = (f: Flavour, func: string, name: 'entry' | 'return', module?: string) => {
  const p = probe(f, func, name, module);
  assert.ok(p, `${f}: syscall:${module ?? ''}:${func}:${name} is missing`);
  return (p.args ?? []).map((a) => a.translated ?? a.native);
};

/** System calls per flavour (each has an entry and a return probe). */
const CALLS: Record<Flavour, number> = { freebsd: 483 + 464, illumos: 241, macos: 448, linux: 349 };
const MODULES: Record<Flavour, string[]> = { freebsd: ['freebsd', 'freebsd32'], illumos: [''], macos: [''], linux: ['linux'] };

describe('syscall.json files', () => {
  for (const f of FLAVOURS) {
    it(`${f}: parses, with DTrace's systrace attributes and one entry and one return per call`, () => {
      const p = syscallProvider(f);
      assert.deepEqual(
        Object.fromEntries(Object.entries(p.attributes!).map(([k, a]) => [k, `${a.name}/${a.data}/${a.class}`])),
        {
          provider: 'Evolving/Evolving/Common',
          module: 'Private/Private/Unknown',
          function: 'Private/Private/ISA',
          name: 'Evolving/Evolving/Common',
          args: 'Private/Private/ISA',
        },
      );
      const list = probes(f);
      assert.equal(list.length, 2 * CALLS[f]);
      assert.deepEqual([...new Set(list.map((x) => x.module))], MODULES[f]);
      const keys = list.map((x) => `${x.module}:${x.function}:${x.name}`);
      assert.equal(new Set(keys).size, keys.length, 'no probe is listed twice');
      for (let i = 0; i < list.length; i += 2) {
        assert.deepEqual([list[i]!.function, list[i]!.name, list[i + 1]!.function, list[i + 1]!.name], [list[i]!.function, 'entry', list[i]!.function, 'return']);
      }
      for (const x of list) assert.match(x.function, /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/);
      assert.ok(Math.max(...list.map((x) => x.args?.length ?? 0)) <= 8, 'DTrace passes at most 8 system call arguments');
    });
  }
});

describe('FreeBSD system calls', () => {
  it('types entry arguments as systrace does, user pointers marked userland', () => {
    assert.deepEqual(argTypes('freebsd', 'read', 'entry'), ['int', 'userland void *', 'size_t']);
    assert.deepEqual(argTypes('freebsd', 'open', 'entry'), ['userland const char *', 'int', 'mode_t']);
    assert.deepEqual(argTypes('freebsd', 'openat', 'entry'), ['int', 'userland const char *', 'int', 'mode_t']);
    assert.deepEqual(argTypes('freebsd', '__sysctl', 'entry'), ['userland int *', 'u_int', 'userland void *', 'userland size_t *', 'userland const void *', 'size_t']);
    assert.deepEqual(argTypes('freebsd', 'execve', 'entry'), ['userland const char *', 'userland char **', 'userland char **']);
    assert.deepEqual(argTypes('freebsd', 'mmap', 'entry'), ['userland void *', 'size_t', 'int', 'int', 'int', 'off_t']);
    assert.deepEqual(argTypes('freebsd', 'kevent', 'entry'), [
      'int',
      'userland const struct kevent *',
      'int',
      'userland struct kevent *',
      'int',
      'userland const struct timespec *',
    ]);
    assert.deepEqual(argTypes('freebsd', 'fork', 'entry'), []);
  });
  it('gives return probes of calls with arguments the return type as args[0] and args[1]', () => {
    assert.deepEqual(argTypes('freebsd', 'read', 'return'), ['ssize_t', 'ssize_t']);
    assert.deepEqual(argTypes('freebsd', 'mmap', 'return'), ['void *', 'void *']);
    assert.deepEqual(argTypes('freebsd', 'lseek', 'return'), ['off_t', 'off_t']);
    assert.deepEqual(argTypes('freebsd', 'umask', 'return'), ['mode_t', 'mode_t']);
    assert.deepEqual(argTypes('freebsd', 'exit', 'return'), ['void', 'void']);
    // systrace describes the return of a call only alongside its arguments
    assert.deepEqual(argTypes('freebsd', 'getuid', 'return'), []);
    assert.deepEqual(argTypes('freebsd', 'fork', 'return'), []);
  });
  it('names compatibility calls compat.NAME / compatN.NAME, without argument types', () => {
    for (const name of ['compat.creat', 'compat4.getfsstat', 'compat6.mmap', 'compat7.__semctl', 'compat10.pipe', 'compat11.stat', 'compat12.closefrom', 'compat13.swapoff']) {
      assert.deepEqual([argTypes('freebsd', name, 'entry'), argTypes('freebsd', name, 'return')], [[], []], name);
    }
    assert.equal(probe('freebsd', 'freebsd11_stat', 'entry'), undefined);
  });
  it('has the calls of the current native table, not the obsolete or reserved slots', () => {
    for (const name of ['exit', 'fork', 'break', 'wait4', 'pdfork', 'cap_enter', 'jail_attach', 'kqueuex', 'membarrier', 'timerfd_settime', 'ksem_open', 'nlm_syscall', '__realpathat', 'sched_getcpu']) {
      assert.ok(probe('freebsd', name, 'entry'), name);
    }
    for (const name of ['execv', 'vtimes', 'sbrk', 'lkmnosys', 'obs_execv', 'sigreturn4']) assert.equal(probe('freebsd', name, 'entry'), undefined, name);
  });
});

describe('FreeBSD 32-bit ABI system calls (module freebsd32)', () => {
  it('names the calls as freebsd32_syscallnames does, typing those shared with the native ABI alike', () => {
    assert.deepEqual(argTypes('freebsd', 'read', 'entry', 'freebsd32'), ['int', 'userland void *', 'size_t']);
    assert.deepEqual(argTypes('freebsd', 'openat', 'return', 'freebsd32'), ['int', 'int']);
    assert.deepEqual(argTypes('freebsd', 'compat11.mknod', 'entry', 'freebsd32'), []);
    for (const name of ['freebsd32_wait4', 'freebsd32_execve', 'freebsd32_mmap', 'freebsd32___sysctl', 'compat4.freebsd32_getfsstat', 'freebsd32_timerfd_settime']) {
      assert.deepEqual(argTypes('freebsd', name, 'entry', 'freebsd32'), [], name);
    }
    for (const name of ['wait4', 'execve', 'mmap', 'obs_execv', 'lkmnosys', 'nlm_syscall']) assert.equal(probe('freebsd', name, 'entry', 'freebsd32'), undefined, name);
  });
});

describe('illumos system calls', () => {
  it('has the names of /etc/name_to_sysnum in an empty module, with no argument types', () => {
    for (const name of ['rexit', 'read', 'write', 'open', 'openat', 'openat64', 'forksys', 'exece', 'ioctl', 'lwp_park', 'pollsys', 'portfs', 'getrandom', 'so_socket', 'umount2']) {
      assert.deepEqual([argTypes('illumos', name, 'entry'), argTypes('illumos', name, 'return')], [[], []], name);
    }
    for (const name of ['exit', 'fork', 'execve', 'nosys', 'socket', 'creat']) assert.equal(probe('illumos', name, 'entry'), undefined, name);
  });
});

describe('macOS system calls', () => {
  it('types arguments as syscalls.master writes them (pointers marked userland), with the _nocancel variants and sys_ names shortened', () => {
    assert.deepEqual(argTypes('macos', 'read', 'entry'), ['int', 'user_addr_t', 'user_size_t']);
    assert.deepEqual(argTypes('macos', 'read_nocancel', 'entry'), ['int', 'user_addr_t', 'user_size_t']);
    assert.deepEqual(argTypes('macos', 'read', 'return'), ['user_ssize_t', 'user_ssize_t']);
    assert.deepEqual(argTypes('macos', 'close', 'entry'), ['int']);
    assert.deepEqual(argTypes('macos', 'open_nocancel', 'entry'), ['user_addr_t', 'int', 'int']);
    assert.deepEqual(argTypes('macos', 'posix_spawn', 'entry'), [
      'userland pid_t *',
      'userland const char *',
      'userland const struct _posix_spawn_args_desc *',
      'userland char **',
      'userland char **',
    ]);
    assert.deepEqual(argTypes('macos', 'ioctl', 'entry'), ['int', 'u_long', 'caddr_t']);
    assert.deepEqual(argTypes('macos', 'syscall', 'entry'), []);
    assert.deepEqual(argTypes('macos', 'mmap', 'return'), ['user_addr_t', 'user_addr_t']);
    assert.deepEqual(argTypes('macos', 'psynch_cvwait', 'entry').length, 8);
    for (const name of ['sys_close', 'sys_fcntl', 'nosys', 'enosys', '#8']) assert.equal(probe('macos', name, 'entry'), undefined, name);
    for (const name of ['fcntl_nocancel', 'fstat64', 'getdirentries64', 'bsdthread_create', 'workq_kernreturn', 'ulock_wait', 'kevent_qos', 'guarded_open_np', 'csops']) {
      assert.ok(probe('macos', name, 'entry'), name);
    }
  });
});

describe('Linux x86-64 system calls', () => {
  it('types arguments from the kernel prototypes, user annotations dropped', () => {
    assert.deepEqual(argTypes('linux', 'read', 'entry'), ['unsigned int', 'char *', 'size_t']);
    assert.deepEqual(argTypes('linux', 'openat', 'entry'), ['int', 'const char *', 'int', 'umode_t']);
    assert.deepEqual(argTypes('linux', 'execve', 'entry'), ['const char *', 'const char *const *', 'const char *const *']);
    assert.deepEqual(argTypes('linux', 'mmap', 'entry'), ['unsigned long', 'unsigned long', 'unsigned long', 'unsigned long', 'unsigned long', 'unsigned long']);
    assert.deepEqual(argTypes('linux', 'clone', 'entry'), ['unsigned long', 'unsigned long', 'int *', 'int *', 'unsigned long']);
    assert.deepEqual(argTypes('linux', 'stat', 'entry'), ['const char *', 'struct stat *']);
    assert.deepEqual(argTypes('linux', 'rt_sigreturn', 'entry'), []);
    assert.deepEqual(argTypes('linux', 'read', 'return'), ['long', 'long']);
  });
  it('has the calls strace names on x86-64, not the unimplemented slots', () => {
    for (const name of ['newfstatat', 'umount2', 'arch_prctl', 'pread64', 'clone3', 'io_uring_enter', 'openat2', 'futex_waitv', 'set_mempolicy_home_node']) {
      assert.ok(probe('linux', name, 'entry'), name);
    }
    for (const name of ['_sysctl', 'tuxcall', 'vserver', 'umount', 'newstat']) assert.equal(probe('linux', name, 'entry'), undefined, name);
  });
});

// Kernel and system type names the catalogues use besides D's built-in ones: each flavour's D
// library declares them, or lists them in OPAQUE_ON_PURPOSE (test/support/libraryCatalogue.ts,
// checked by library-syntax.test.ts) for the front end to treat as opaque kernel types. A new
// name is added here on purpose, and to the flavour's library when scripts need its members.
const TYPE_NAMES: Record<Flavour, string> = {
  freebsd:
    '__socklen_t acl_type_t arc_flags_t arc_read_done_func_t blkptr_t boolean_t caddr_t cap_rights_t clockid_t cpulevel_t cpuset_t ' +
    'cpusetid_t cpuwhich_t cred_t daddr_t dev_t dmu_tx_t domainset_t fd_set ffcounter gid_t idtype_t key_t ksiginfo_t lwpid_t mode_t ' +
    'objset_t objtype_t off_t pmap_t sbintime_t semid_t siginfo_t sigset_t spa_t u_char u_int u_long ucontext_t ufs2_daddr_t uid_t ' +
    'uma_zone_t vm_map_entry_t vm_map_t vm_object_t vm_offset_t vm_ooffset_t vm_page_t vm_pindex_t vm_prot_t vm_size_t ' +
    'vop_getpages_iodone_t zbookmark_phys_t zfs_uio_t zilog_t zio_priority_t zio_t',
  illumos:
    'arc_flags_t arc_read_done_func_t blkptr_t boolean_t caddr_t caller_context_t clock_t cpu_t cred_t dmu_tx_t faultcode_t ' +
    'ill_rx_ring_t ill_t ip_recv_attr_t ip_xmit_attr_t ire_t kcondvar_t kmem_cache_t kmutex_t krw_t krwlock_t kthread_t ' +
    'lwp_timer_t mac_client_handle_t mac_handle_t mac_resource_handle_t mac_tx_cookie_t mblk_t mode_t mutex_impl_t objset_t off_t ' +
    'offset_t page_t pathname_t proc_t processorid_t queue_t rlim64_t se_t sobj_ops_t spa_t tcp_t turnstile_t u_offset_t uio_t ' +
    'vattr_t vcexcl_t vnode_t vsecattr_t zbookmark_phys_t zilog_t zio_priority_t zio_t',
  macos:
    'ast_t au_asid_t au_id_t boolean_t buf_t caddr_t coalition_t errno_t event_t fhandle_t gid_t graftdmg_args_un guardid_t idtype_t ' +
    'ifnet_t kauth_cred_t kern_return_t key_t kma_flags_t mach_port_name_t mbuf_t off_t pmap_t proc_t sa_endpoints_t sae_associd_t ' +
    'sae_connid_t sem_t semun_t siginfo_t sigset_t socklen_t thread_continue_t thread_t u_int u_int32_t u_long uid_t user_addr_t ' +
    'user_size_t user_ssize_t uuid_t vfs_context_t vm_map_offset_t vm_map_t vm_offset_t vm_prot_t vm_size_t vm_tag_t vnode_t ' +
    'wait_result_t x86_saved_state_t',
  linux:
    '__kernel_old_time_t __s32 __u32 aio_context_t blk_status_t cap_user_data_t cap_user_header_t clockid_t fd_set gfp_t gid_t ' +
    'key_serial_t key_t loff_t mqd_t off_t qid_t rwf_t siginfo_t sigset_t timer_t u32 u64 uid_t umode_t vm_fault_t',
};

const C_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', 'float', 'double', 'bool', '_Bool', 'const', 'volatile', 'userland']);
/** A type as it may be written in a catalogue: qualifiers, one base type, then pointers. */
const TYPE_TEXT =
  /^(userland )?((const|volatile) )*((struct|union|enum) [A-Za-z_]\w*|((signed|unsigned|short|long|char|int|void)( |$))+|[A-Za-z_]\w*)( ?\*( ?const)?)*$/;

function catalogueTypes(f: Flavour): string[] {
  const types: string[] = [];
  for (const p of probes(f)) for (const a of p.args ?? []) types.push(a.native);
  for (const k of flavourData(f).kernelFunctions) types.push(...k.args, ...(k.return !== undefined ? [k.return] : []));
  return types;
}

describe('argument types', () => {
  for (const f of FLAVOURS) {
    it(`${f}: every type is well formed, and D reads it back as written`, () => {
      const table = new TypeTable();
      for (const text of catalogueTypes(f)) {
        assert.match(text.trim(), TYPE_TEXT, text);
        const expected = text
          .replace(/\b(userland|const|volatile) /g, '')
          .replace(/ ?\*( ?const)?/g, '*')
          .replace(/^unsigned(?=\*|$)/, 'unsigned int')
          .replace(/\*+$/, (stars) => ` ${stars}`)
          .trim();
        assert.equal(typeName(table.parse(text)), expected, text);
      }
    });
    it(`${f}: uses only D's own type names and the listed kernel and system ones`, () => {
      const table = new TypeTable();
      const used = new Set<string>();
      for (const text of catalogueTypes(f)) {
        const words = text.match(/[A-Za-z_]\w*/g) ?? [];
        for (let i = 0; i < words.length; i++) {
          if (words[i] === 'struct' || words[i] === 'union' || words[i] === 'enum') i++;
          else if (!C_WORDS.has(words[i]!) && !table.typedefs.has(words[i]!)) used.add(words[i]!);
        }
      }
      assert.deepEqual([...used].sort(), TYPE_NAMES[f].split(' ').sort());
    });
  }
});

describe('kernel-functions.json files', () => {
  const COUNTS: Record<Flavour, number> = { freebsd: 194, illumos: 121, macos: 41, linux: 27 };
  const MODULES: Record<Flavour, string[]> = {
    freebsd: ['kernel', 'zfs'],
    illumos: ['genunix', 'ip', 'mac', 'scsi', 'sd', 'sockfs', 'ufs', 'unix', 'zfs'],
    macos: ['mach_kernel'],
    linux: ['vmlinux'],
  };
  for (const f of FLAVOURS) {
    it(`${f}: reads without problems, one prototype per function`, () => {
      const data = flavourData(f);
      assert.deepEqual(
        data.problems.filter((p) => p.includes('kernel-functions.json') || p.includes('syscall.json')),
        [],
      );
      assert.equal(data.kernelFunctions.length, COUNTS[f]);
      assert.deepEqual([...new Set(data.kernelFunctions.map((k) => k.module))].sort(), MODULES[f]);
      const keys = data.kernelFunctions.map((k) => `${k.module}:${k.function}`);
      assert.equal(new Set(keys).size, keys.length);
      for (const k of data.kernelFunctions) assert.ok(k.return !== undefined, `${k.function} has a return type`);
    });
  }
  it('has the prototypes of the functions people trace most', () => {
    const proto = (f: Flavour, name: string) => {
      const k = flavourData(f).kernelFunctions.find((x) => x.function === name);
      assert.ok(k, `${f}: ${name}`);
      return `${k.return} ${k.module}\`${name}(${k.args.join(', ')})`;
    };
    assert.equal(proto('freebsd', 'vm_fault'), 'int kernel`vm_fault(vm_map_t, vm_offset_t, vm_prot_t, int, vm_page_t *)');
    assert.equal(proto('freebsd', 'malloc'), 'void * kernel`malloc(size_t, struct malloc_type *, int)');
    assert.equal(proto('freebsd', 'ip_output'), 'int kernel`ip_output(struct mbuf *, struct mbuf *, struct route *, int, struct ip_moptions *, struct inpcb *)');
    assert.equal(proto('freebsd', 'sched_switch'), 'void kernel`sched_switch(struct thread *, int)');
    assert.equal(proto('freebsd', 'exit1'), 'void kernel`exit1(struct thread *, int, int)');
    assert.equal(proto('illumos', 'bdev_strategy'), 'int genunix`bdev_strategy(struct buf *)');
    assert.equal(proto('illumos', 'fop_read'), 'int genunix`fop_read(vnode_t *, uio_t *, int, cred_t *, caller_context_t *)');
    assert.equal(proto('illumos', 'tcp_send_data'), 'void ip`tcp_send_data(tcp_t *, mblk_t *)');
    assert.equal(proto('illumos', 'zio_wait'), 'int zfs`zio_wait(zio_t *)');
    assert.equal(proto('macos', 'VNOP_READ'), 'errno_t mach_kernel`VNOP_READ(vnode_t, struct uio *, int, vfs_context_t)');
    assert.equal(proto('linux', 'vfs_read'), 'ssize_t vmlinux`vfs_read(struct file *, char *, size_t, loff_t *)');
  });
});

describe('through dtvm', () => {
  it('lists every system call probe of each flavour', async () => {
    for (const f of FLAVOURS) {
      const r = await dtvm(['--flavour', f, '-l', '-P', 'syscall']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.split('\n').filter((l) => l !== '').length, 1 + 2 * CALLS[f], f);
    }
  });
  it('shows the argument types of a system call with -lv', async () => {
    const types = async (f: Flavour, spec: string) => {
      const r = await dtvm(['--flavour', f, '-lv', '-n', spec]);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.slice(r.stdout.indexOf('\tArgument Types\n'));
    };
    assert.equal(await types('freebsd', 'syscall:freebsd:read:entry'), '\tArgument Types\n\t\targs[0]: int\n\t\targs[1]: userland void *\n\t\targs[2]: size_t\n\n');
    assert.equal(await types('freebsd', 'syscall:freebsd:read:return'), '\tArgument Types\n\t\targs[0]: ssize_t\n\t\targs[1]: ssize_t\n\n');
    assert.equal(await types('macos', 'syscall::write_nocancel:entry'), '\tArgument Types\n\t\targs[0]: int\n\t\targs[1]: user_addr_t\n\t\targs[2]: user_size_t\n\n');
    assert.equal(await types('linux', 'syscall:linux:openat:entry'), '\tArgument Types\n\t\targs[0]: int\n\t\targs[1]: const char *\n\t\targs[2]: int\n\t\targs[3]: umode_t\n\n');
    assert.equal(await types('illumos', 'syscall::read:entry'), '\tArgument Types\n\t\tNone\n\n');
  });
  it('compiles scripts that use args[] of each flavour', async () => {
    const scripts: Record<Flavour, string> = {
      freebsd:
        'syscall:freebsd:read:entry { @bytes[execname] = sum(args[2]); self->fd = args[0]; } ' +
        'syscall:freebsd:read:return /self->fd/ { @sizes = quantize(args[1]); self->fd = 0; } ' +
        'syscall::open:entry, syscall::openat:entry { printf("%s\\n", copyinstr(arg0)); } ' +
        'syscall::compat11.stat:entry { trace(arg0); } ' +
        'fbt::vm_fault:entry { @faults[args[1]] = count(); } ' +
        'syscall:freebsd32::return /errno == 94/ { @denied32[execname, probefunc] = count(); }',
      illumos: 'syscall::read:entry, syscall::write:entry { @[probefunc] = sum(arg2); } syscall::rexit:entry { trace(arg0); } fbt::fop_read:entry { trace(args[2]); }',
      macos: 'syscall::read_nocancel:entry { @[execname] = sum(args[2]); } syscall::open:entry { trace(args[1]); } syscall::read:return { @r = quantize(args[0]); }',
      linux: 'syscall::openat:entry { @[stringof(args[1])] = count(); } syscall::read:return { @r = quantize(args[1]); } syscall::mmap:entry { trace(args[5]); }',
    };
    for (const f of FLAVOURS) {
      const r = await dtvm(['--flavour', f, '-e', '-n', scripts[f]]);
      assert.deepEqual([r.status, r.stderr], [0, ''], f);
    }
  });
  it('matches globs over the system call names of each flavour', async () => {
    const functions = async (f: Flavour, spec: string) => {
      const r = await dtvm(['--flavour', f, '-l', '-n', spec]);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/ +/))
        .map((cols) => (cols.length === 5 ? `${cols[2]}:${cols[3]}` : `:${cols[2]}`));
    };
    assert.deepEqual(await functions('freebsd', 'syscall::open*:entry'), ['freebsd:open', 'freebsd:openat', 'freebsd32:open', 'freebsd32:openat']);
    assert.deepEqual(await functions('illumos', 'syscall::open*:entry'), [':open', ':openat', ':openat64', ':open64']);
    assert.deepEqual(await functions('macos', 'syscall::open*:entry'), [
      ':open',
      ':open_dprotected_np',
      ':openat_dprotected_np',
      ':open_extended',
      ':open_nocancel',
      ':openat',
      ':openat_nocancel',
      ':openbyid_np',
    ]);
    assert.deepEqual(await functions('linux', 'syscall::open*:entry'), ['linux:open', 'linux:openat', 'linux:open_by_handle_at', 'linux:open_tree', 'linux:openat2']);
  });
  it('compiles toolkit-style system call scripts of each flavour', async () => {
    // opensnoop- and errinfo-like: arg0 and errno work on every system, whatever args[] offers.
    const common =
      'syscall::open*:entry { self->path = arg0; } ' +
      'syscall::open*:return /self->path/ { printf("%d %s %d\\n", pid, copyinstr(self->path), (int)arg0); self->path = 0; } ' +
      'syscall:::return /errno != 0/ { @errs[execname, probefunc, errno] = count(); } ' +
      'syscall::*write*:entry { @writes[probefunc] = sum(arg2); }';
    for (const f of FLAVOURS) {
      const r = await dtvm(['--flavour', f, '-e', '-n', common]);
      assert.deepEqual([r.status, r.stderr], [0, ''], f);
    }
  });
  it('rejects what the catalogue says cannot be', async () => {
    const illumosArgs = await dtvm(['--flavour', 'illumos', '-e', '-n', 'syscall::read:entry { trace(args[0]); }']);
    assert.deepEqual(
      [illumosArgs.status, illumosArgs.stderr],
      [1, 'dtrace: invalid probe specifier syscall::read:entry { trace(args[0]); }: in action list: index 0 is out of range for syscall::read:entry args[ ]\n'],
    );
    const beyond = await dtvm(['--flavour', 'freebsd', '-e', '-n', 'syscall:freebsd:read:entry { trace(args[3]); }']);
    assert.deepEqual(
      [beyond.status, beyond.stderr],
      [1, 'dtrace: invalid probe specifier syscall:freebsd:read:entry { trace(args[3]); }: in action list: index 3 is out of range for syscall:freebsd:read:entry args[ ]\n'],
    );
    // As on a FreeBSD amd64 kernel with the 32-bit ABI: syscall::read:entry is read in both
    // modules, and the provider's Private argument data does not promise they agree.
    const both = await dtvm(['--flavour', 'freebsd', '-e', '-n', 'syscall::read:entry { trace(args[0]); }']);
    assert.deepEqual(
      [both.status, both.stderr],
      [1, 'dtrace: invalid probe specifier syscall::read:entry { trace(args[0]); }: in action list: args[ ] may not be referenced because probe description syscall::read:entry matches an unstable set of probes\n'],
    );
    const misspelt = await dtvm(['--flavour', 'freebsd', '-e', '-n', 'syscall::reda:entry { trace(arg0); }']);
    assert.equal(misspelt.status, 1);
    assert.match(misspelt.stderr, /^dtrace: invalid probe specifier syscall::reda:entry \{ trace\(arg0\); \}: probe description syscall::reda:entry does not match any probes/);
    const otherModule = await dtvm(['--flavour', 'linux', '-e', '-n', 'syscall:freebsd:read:entry { trace(arg0); }']);
    assert.equal(otherModule.status, 1);
    assert.match(otherModule.stderr, /probe description syscall:freebsd:read:entry does not match any probes/);
  });
});
