// The closed-world providers of every flavour (server/lib/flavours/<flavour>/providers/*.json,
// except syscall.json, which catalogue-syscalls.test.ts covers) and the D library types their
// arguments name, through the real command line: for every provider, a probe resolves, an
// argument's member access type-checks, and (where the library has one) a translator applies;
// a misspelt member and a misspelt probe are rejected with DTrace's messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProviderFile } from '../../server/src/analyze/catalogue/provider-file';
import { dtvm } from '../support/runDtvm';
import { createDParser } from '../../server/src/parse/dParser';
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { scriptFile } from '../support/scripts';
import { FLAVOURS, type Flavour } from '../support/libraryCatalogue';

const flavoursDir = join(__dirname, '..', '..', 'server', 'lib', 'flavours');

function providerFiles(flavour: Flavour): string[] {
  return readdirSync(join(flavoursDir, flavour, 'providers'))
    .filter((f) => f.endsWith('.json') && f !== 'syscall.json')
    .sort();
}

/** Provider names per flavour, as its files define them. */
function providersOf(flavour: Flavour): string[] {
  return providerFiles(flavour).flatMap((f) =>
    parseProviderFile(readFileSync(join(flavoursDir, flavour, 'providers', f), 'utf8'), f).map((p) => p.name),
  );
}

/**
 * One clause per provider: a probe it has, an argument's member (or the argument itself, for
 * providers whose arguments are plain integers or untyped), and a translator where one applies.
 */
const CASES: Record<Flavour, Record<string, string>> = {
  freebsd: {
    proc: 'proc:::signal-send { trace(args[1]->p_pid); trace(xlate <psinfo_t *> (args[1])->pr_jailid); trace(xlate <lwpsinfo_t *> (args[0])->pr_lwpid); }',
    sched: 'sched:::off-cpu { trace(args[0]->td_tid); trace(stringof(args[1]->p_comm)); trace(curcpu->cpu_id); }',
    io: 'io:::start { trace(args[0]->bio_bcount); trace(xlate <devinfo_t *> (args[1])->dev_statname); trace(xlate <bufinfo_t *> (args[0])->b_bcount); }',
    ip: 'ip:::send { trace(args[2]->ip_daddr); trace(args[3]->if_name); trace(args[4]->ipv4_protostr); trace(args[5]->ipv6_nexthdr); }',
    tcp: 'tcp:::state-change { trace(tcp_state_string[args[3]->tcps_state]); trace(args[5]->tcps_state == TCPS_LISTEN); trace(args[1]->cs_cid); }',
    udp: 'udp:::receive { trace(args[3]->udps_lport); trace(args[4]->udp_length); trace(args[2]->ip_ver); }',
    udplite: 'udplite:::send { trace(args[4]->udplite_coverage); trace(args[3]->udplites_raddr); }',
    sctp: 'sctp:::state-change { trace(sctp_state_string[args[3]->sctps_state]); trace(args[5]->sctps_state); }',
    lockstat: 'lockstat:::adaptive-block { trace(stringof(args[0]->lock_object.lo_name)); trace(args[1]); }',
    audit: 'audit:event:aue_execve:commit { trace(stringof(args[0])); trace(args[1]->ar_errno); }',
    mac: 'mac:kernel:policy:modevent { trace(args[0]); }',
    mac_framework: 'mac_framework:kernel:vnode_check_open:mac-check-err { trace(args[0]); trace(args[1]->cr_uid); trace(args[2]->v_type == VREG); }',
    priv: 'priv:kernel:priv_check:priv-err { trace(args[0]); }',
    racct: 'racct:kernel:rusage:add { trace(args[0]->p_pid); trace(args[2]); }',
    callout_execute: 'callout_execute:::callout-start { trace((uintptr_t)args[0]->c_func); trace(args[0]->c_cpu); }',
    dtmalloc: 'dtmalloc::devbuf:malloc { trace(arg3); }',
    nfscl: 'nfscl:nfs3:read:done { trace(args[0]->v_type); trace(args[2]->cr_uid); trace(args[4]); }',
    vfs: 'vfs:vop:vop_read:entry { trace(args[1]->a_uio->uio_resid); trace(stringof(args[0]->v_mount->mnt_stat.f_mntonname)); }',
    xbb: 'xbb:kernel:xbb_dispatch_dev:read { trace(args[1]); }',
  },
  illumos: {
    proc: 'proc:::signal-send { trace(args[1]->pr_psargs); trace(args[0]->pr_lwpid); trace(args[2] == SIGKILL); }',
    sched: 'sched:::enqueue { trace(args[2]->cpu_id); trace(args[0]->pr_pri); trace(xlate <psinfo_t *> (curthread->t_procp)->pr_zoneid); }',
    io: 'io:::start { trace(args[0]->b_flags & B_READ); trace(args[1]->dev_statname); trace(args[2]->fi_pathname); }',
    ip: 'ip:::receive { trace(args[2]->ip_saddr); trace(args[3]->if_name); trace(args[4]->ipv4_ttl); trace(args[5]->ipv6_saddr); }',
    tcp: 'tcp:::state-change { trace(tcp_state_string[args[3]->tcps_state]); trace(args[5]->tcps_state == TCP_STATE_SYN_SENT); trace(args[1]->cs_zoneid); }',
    udp: 'udp:::send { trace(args[3]->udps_raddr); trace(args[4]->udp_dport); }',
    lockstat: 'lockstat:::adaptive-block { trace(args[1]); trace((uintptr_t)args[0]); }',
    vminfo: 'vminfo:::as_fault { trace(arg0); }',
    sysinfo: 'sysinfo:::readch { trace(arg0); }',
    fsinfo: 'fsinfo:::read { trace(args[0]->fi_mount); trace(args[1]); }',
    mib: 'mib:::tcpActiveOpens { trace(args[0]); }',
    nfsv3: 'nfsv3:::op-read-start { trace(args[0]->ci_remote); trace(args[1]->noi_curpath); trace(args[1]->noi_cred->cr_uid); }',
    nfsv4: 'nfsv4:::compound-start { trace(args[0]->ci_protocol); trace(args[1]->noi_xid); }',
    iscsi: 'iscsi:::scsi-command { trace(args[1]->ii_initiator); trace(*args[2]->ic_cdb); }',
    fc: 'fc:::xfer-start { trace(args[0]->ci_remote); trace(args[4]->fcx_len); trace(args[1]->fcp_node_wwn); trace(args[3]->fcp_port_hard_address); }',
    srp: 'srp:::scsi-command { trace(args[1]->pi_initiator); trace(args[3]->ti_lun); trace(args[2]->ic_len); } srp:::login-command { trace(args[2]->li_max_it_iu_len); }',
    sdt: 'sdt:::interrupt-start { trace((uintptr_t)args[0]); }',
    smb: 'smb:::op-Read-start { trace(args[0]->ci_remote); trace(args[1]->soi_share); trace(args[2]->soa_count); }',
    smb2: 'smb2:::op-Create-done { trace(args[1]->soi_mid); trace(args[2]->soa_name); trace(args[1]->soi_cred->cr_uid); }',
  },
  macos: {
    proc: 'proc:::exec-success { trace(curpsinfo->pr_psargs); } proc:::signal-send { trace(args[1]->pr_pid); trace(args[0]->pr_lwpid); }',
    sched: 'sched:::off-cpu { trace(args[0]->pr_pri); trace(args[1]->pr_fname); trace(curlwpsinfo->pr_onpro); } sched:::enqueue { trace(args[2]->cpu_id); trace(curcpu->cpu_chip); }',
    io: 'io:::start { trace(args[0]->b_flags & B_READ); trace(args[1]->dev_statname); trace(args[2]->fi_name); }',
    vminfo: 'vminfo:::pageins { trace(arg0); }',
    sysinfo: 'sysinfo:::readch { trace(arg0); }',
    lockstat: 'lockstat:::adaptive-block { trace(args[1]); }',
    mach_trap: 'mach_trap::mach_msg_trap:entry { trace(arg0); }',
    ip: 'ip:::send { trace(args[2]->ip_saddr); trace(args[3]->if_name); trace(args[5]->ipv6_hlim); }',
    tcp: 'tcp:::state-change { trace(args[3]->tcps_state); trace(args[5]->tcps_state); trace(args[3]->snd_cwnd); } tcp:::cc { trace(args[4]->tcp_cc); }',
  },
  linux: {
    proc: 'proc:::signal-send { trace(args[1]->pr_pid); trace(args[0]->pr_lwpid); trace(args[2] == SIGTERM); } proc:::create { trace(args[0]->pr_psargs); }',
  },
};

/**
 * The D type of an argument or member, as DTrace names it in a type error: each entry is a probe
 * description, an expression there, and its type. Checked by assigning the expression to a
 * global and then a value of another type, which DTrace refuses naming both types.
 */
const TYPES: Record<Flavour, [string, string, string][]> = {
  freebsd: [
    ['proc:::signal-send', 'args[1]', 'struct proc *'],
    ['proc:::signal-send', 'args[0]->td_tid', 'lwpid_t'],
    ['sched:::enqueue', 'args[3]', 'int'],
    ['io:::start', 'args[1]', 'struct devstat *'],
    ['io:::start', 'xlate <bufinfo_t *> (args[0])->b_bcount', 'long'],
    ['tcp:::receive', 'args[4]', 'tcpinfoh_t *'],
    ['tcp:::send', 'args[3]->tcps_snxt', 'uint32_t'],
    ['tcp:::state-change', 'args[5]', 'tcplsinfo_t *'],
    ['ip:::send', 'args[4]->ipv4_src', 'ipaddr_t'],
    ['vfs:namei:lookup:entry', 'args[2]', 'u_long'],
    ['lockstat:::rw-block', 'args[0]', 'struct rwlock *'],
  ],
  illumos: [
    ['proc:::exec-success', 'curpsinfo', 'psinfo_t *'],
    ['proc:::lwp-create', 'args[0]', 'lwpsinfo_t *'],
    ['sched:::change-pri', 'args[2]', 'pri_t'],
    ['io:::done', 'args[0]->b_edev', 'dev_t'],
    ['tcp:::state-change', 'args[3]->tcps_state', 'int32_t'],
    ['nfsv3:::op-write-start', 'args[1]->noi_cred', 'cred_t *'],
    ['fsinfo:::write', 'args[0]->fi_offset', 'offset_t'],
    ['lockstat:::adaptive-acquire', 'args[0]', 'kmutex_t *'],
  ],
  macos: [
    ['proc:::create', 'args[0]', 'psinfo_t *'],
    ['proc:::signal-send', 'args[0]->pr_lwpid', 'id_t'],
    ['io:::start', 'args[0]->b_edev', 'dev_t'],
    ['tcp:::send', 'args[3]->snd_cwnd', 'uint32_t'],
    ['sched:::on-cpu', 'curproc', 'struct proc *'],
  ],
  linux: [
    ['proc:::create', 'args[0]', 'psinfo_t *'],
    ['proc:::signal-send', 'args[2]', 'int'],
    ['proc:::signal-handle', 'args[1]->si_pid', 'pid_t'],
    ['proc:::exit', 'curthread->real_parent', 'struct task_struct *'],
  ],
};

/** One member access per flavour that must fail, with DTrace's exact message. */
const MISSPELT_MEMBER: Record<Flavour, [string, string]> = {
  freebsd: ['proc:::exit { trace(curthread->td_proc->p_nosuch); }', 'p_nosuch is not a member of struct proc'],
  illumos: ['io:::start { trace(args[0]->b_nosuch); }', 'b_nosuch is not a member of struct bufinfo'],
  macos: ['proc:::create { trace(args[0]->pr_nosuch); }', 'pr_nosuch is not a member of struct psinfo'],
  linux: ['proc:::create { trace(args[0]->pr_nosuch); }', 'pr_nosuch is not a member of struct psinfo'],
};

for (const flavour of FLAVOURS) {
  // The front end keeps a library file's problems as warnings so that they never block a
  // script: this is where a mistyped translator member or a duplicate definition shows.
  // D_PRAGMA_SCOPE is left out: the front end does not yet treat a library file's own
  // definitions as in scope for its #pragma binding/attributes lines.
  test(`${flavour}: the D library compiles without a diagnostic`, async () => {
    const parser = await createDParser();
    const result = compileProgram(parser, { text: 'BEGIN {}', programName: 'x.d', options: new OptionSet(), flavour });
    const problems = (result.analysis?.diagnostics ?? [])
      .filter((d) => d.file !== undefined && d.code !== 'D_PRAGMA_SCOPE')
      .map((d) => `${d.file!.split(/[\\/]/).slice(-3).join('/')}: ${d.code} ${d.message}`);
    assert.deepEqual(problems, []);
  });

  test(`${flavour}: every provider file is valid and every provider has a case`, () => {
    const providers = providersOf(flavour);
    assert.ok(providers.length > 0, 'no providers');
    assert.deepEqual([...providers].sort(), Object.keys(CASES[flavour]).sort());
  });

  for (const [provider, program] of Object.entries(CASES[flavour])) {
    test(`${flavour}: ${provider}: a probe resolves, its arguments' members type-check, translators apply`, async () => {
      const run = await dtvm(['--flavour', flavour, '-e', '-n', program]);
      assert.deepEqual(run, { status: 0, stdout: '', stderr: '' });
    });
  }

  test(`${flavour}: arguments and members have their documented types`, async () => {
    for (const [desc, expr, type] of TYPES[flavour]) {
      const program = `${desc} { x = ${expr}; x = "other"; }`;
      const run = await dtvm(['--flavour', flavour, '-e', '-n', program]);
      assert.equal(run.stderr, `dtrace: invalid probe specifier ${program}: in action list: operands have incompatible types: "${type}" = "string"\n`, expr);
    }
  });

  test(`${flavour}: a misspelt member of a provider's argument is rejected`, async () => {
    const [program, message] = MISSPELT_MEMBER[flavour];
    const run = await dtvm(['--flavour', flavour, '-e', '-n', program]);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `dtrace: invalid probe specifier ${program}: in action list: ${message}\n`);
  });

  test(`${flavour}: a probe the flavour's proc provider does not have is rejected`, async () => {
    const program = 'proc:::exec-sucess { }';
    const run = await dtvm(['--flavour', flavour, '-e', '-n', program]);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `dtrace: invalid probe specifier ${program}: probe description proc:::exec-sucess does not match any probes\n`);
  });
}

/**
 * What the library adds beyond the providers: fds[] over each system's descriptor table, the
 * structures system calls copy in, kernel aliases and enums of fbt arguments, the macOS proc
 * provider's siginfo_t and its buffer flags, illumos's fsinfo::: with args[] (its name is of
 * Private stability, so a glob over every fsinfo probe keeps the arguments).
 */
const LIBRARY_CASES: Record<Flavour, string[]> = {
  freebsd: [
    'syscall:freebsd:write:entry { trace(fds[arg0].fi_pathname); trace(fds[arg0].fi_oflags & O_ACCMODE); }',
    'fbt::vm_fault:entry { trace(curthread->td_proc->p_fd->fd_files->fdt_ofiles[arg0].fde_file->f_offset); }',
    'syscall:freebsd:chdir:return { trace(stringof(curthread->td_proc->p_pd->pd_pwd->pwd_cdir->v_path)); }',
    'syscall:freebsd:select:entry { trace(((fd_set *)copyin(arg1, sizeof (fd_set)))->__fds_bits[0]); }',
    'syscall:freebsd:kevent:entry { trace(((struct kevent *)copyin(arg1, sizeof (struct kevent)))->filter); }',
    'syscall:freebsd:sigaction:entry { trace(((struct sigaction *)copyin(arg1, sizeof (struct sigaction)))->sa_flags); }',
  ],
  illumos: [
    'fsinfo::: { trace(args[0]->fi_fs); trace(args[1]); }',
    'syscall::write:entry { trace(fds[arg0].fi_name); }',
    'fbt::as_fault:entry /args[5] == S_WRITE && args[4] == F_PROT/ { trace(arg2); }',
    'fbt::cv_wait:entry { trace(sizeof (kcondvar_t)); }',
  ],
  macos: [
    'syscall::write:entry { @[fds[arg0].fi_name] = count(); }',
    'syscall::read:entry { trace(fds[arg0].fi_oflags & O_ACCMODE); trace(fds[arg0].fi_fs); trace(fds[arg0].fi_offset); }',
    'proc:::signal-handle { trace(args[1]->si_code); }',
    'io:::start { trace(args[0]->b_flags & B_READ ? "R" : "W"); }',
    'fbt::thread_invoke:entry { trace(curthread->kernel_stack); }',
    'fbt::hfs_vnop_lookup:entry { trace(stringof(((struct vnop_lookup_args *)arg0)->a_cnp->cn_nameptr)); }',
    'syscall::kevent64:entry { trace(((struct kevent64_s *)copyin(arg1, sizeof (struct kevent64_s)))->filter); }',
  ],
  linux: [
    'syscall::epoll_wait:return { trace(((struct epoll_event *)copyin(arg1, sizeof (struct epoll_event)))->events); }',
    'syscall::capget:entry { trace(args[0]->pid); }',
    'syscall::uname:entry { trace(stringof(((struct new_utsname *)copyin(arg0, sizeof (struct new_utsname)))->release)); }',
    'syscall::select:entry { trace(((fd_set *)copyin(arg1, sizeof (fd_set)))->fds_bits[0]); }',
  ],
};

/** The flavour's own EAGAIN and ENOTSUP, through `dtvm -C` and its <sys/errno.h>. */
const ERRNO_VALUES: Record<Flavour, string> = { freebsd: '35 45', illumos: '11 48', macos: '35 45', linux: '11 95' };

for (const flavour of FLAVOURS) {
  test(`${flavour}: fds[], system-call structures and kernel types of the library`, async () => {
    for (const program of LIBRARY_CASES[flavour]) {
      const run = await dtvm(['--flavour', flavour, '-e', '-n', program]);
      assert.deepEqual(run, { status: 0, stdout: '', stderr: '' }, program);
    }
  });

  test(`${flavour}: dtvm -C finds the flavour's <sys/errno.h> and <sys/types.h>, and errno stays D's`, async () => {
    const file = scriptFile(
      '#include <sys/types.h>\n#include <sys/errno.h>\n' +
        'syscall:::return /errno == EAGAIN/ { @[probefunc] = count(); }\n' +
        'BEGIN { printf("%d %d\\n", EAGAIN, ENOTSUP); exit(0); }\n',
      'errno_names.d',
    );
    const run = await dtvm(['--flavour', flavour, '-C', '-q', '-s', file]);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout.split('\n')[0], ERRNO_VALUES[flavour]);
  });
}

test('a file descriptor member that fds[] does not have is rejected', async () => {
  const program = 'syscall::write:entry { trace(fds[arg0].fi_nmae); }';
  const run = await dtvm(['--flavour', 'macos', '-e', '-n', program]);
  assert.equal(run.stderr, `dtrace: invalid probe specifier ${program}: in action list: fi_nmae is not a member of struct fileinfo\n`);
});

/**
 * Realistic scripts, one or more per provider, that must compile under their folder's flavour
 * (test/fixtures/scripts/<flavour>/); linux/ is the replay flavour's whole folder.
 */
const SCRIPTS: Record<Flavour, string[]> = {
  freebsd: [
    'audit_events', 'callouts', 'dtmalloc', 'iosnoop', 'iotop', 'lockstat_mtx', 'mac_checks', 'mac_policies',
    'namecache', 'namei', 'net_io_devstat', 'net_sctp_assoc', 'net_tcp_retrans', 'net_udp_sockets', 'nfs_client',
    'priv_err', 'procstat_on_kill', 'racct_usage', 'runq_latency', 'tcp_segments', 'tcpstate', 'tk_iotop',
    'tk_signames', 'tk_vfsstat', 'vop_latency', 'xbb_io', 'xlate_psinfo', 'disk_latency_cmd', 'tcp_debug_trace',
    'siftr_cwnd', 'udp_track',
  ],
  illumos: [
    'iosnoop', 'ipio', 'lockstat_adaptive', 'mib_tcp', 'net_fc_cmds', 'net_iscsi_cmds', 'net_nfsv4_compound',
    'net_srp_tasks', 'nfsv3_ops_named', 'smb2_ops', 'sigsnoop', 'tcp_states_named', 'tcpaccept', 'tk_zvmstat',
    'udpsnoop', 'vmstat_dtrace', 'zfs_txg_sdt', 'cpuinfo', 'fdpaths',
  ],
  macos: ['io_files', 'iosnoop', 'lockstat_contention', 'mach_traps', 'sysinfo_rw', 'tcp_states', 'vminfo', 'proc_tree'],
  linux: readdirSync(join(__dirname, '..', 'fixtures', 'scripts', 'linux'))
    .filter((f) => f.endsWith('.d'))
    .map((f) => f.slice(0, -2))
    .sort(),
};

for (const flavour of FLAVOURS) {
  test(`${flavour}: the realistic scripts of its corpus compile`, async () => {
    const failures: string[] = [];
    for (const name of SCRIPTS[flavour]) {
      const file = join(__dirname, '..', 'fixtures', 'scripts', flavour, `${name}.d`);
      const run = await dtvm(['--flavour', flavour, '-e', '-s', file]);
      if (run.status !== 0) failures.push(`${name}: ${run.stderr.trim()}`);
    }
    assert.deepEqual(failures, []);
  });
}

test('each flavour lists the probes its own system has', async () => {
  // Both io providers define wait-start (FreeBSD's beside start and done, in subr_devstat.c);
  // only FreeBSD has audit and vfs; illumos has fsinfo, macOS mach_trap.
  const lists = async (flavour: Flavour, desc: string) => (await dtvm(['--flavour', flavour, '-e', '-n', `${desc} { }`])).status;
  assert.equal(await lists('freebsd', 'io:::wait-start'), 0);
  assert.equal(await lists('freebsd', 'io:::wait-begin'), 1);
  assert.equal(await lists('freebsd', 'fsinfo:::lookup'), 1);
  assert.equal(await lists('illumos', 'io:::wait-start'), 0);
  assert.equal(await lists('freebsd', 'vfs:namei:lookup:entry'), 0);
  assert.equal(await lists('illumos', 'fsinfo:::lookup'), 0);
  assert.equal(await lists('macos', 'mach_trap::mach_msg_trap:return'), 0);
  assert.equal(await lists('linux', 'proc:::exec-success'), 0);
  assert.equal(await lists('linux', 'proc:::lwp-create'), 1);
});

test("stability as the systems' sdt providers report it: fsinfo's name is Private, sysinfo's arguments are", async () => {
  const attributes = async (flavour: Flavour, desc: string) => {
    const run = await dtvm(['--flavour', flavour, '-lv', '-n', desc]);
    const at = (heading: string) => run.stdout.split(`\t${heading}\n`)[1]!.split('\n').slice(0, 3).map((l) => l.split(':')[1]!.trim()).join('/');
    return [at('Probe Description Attributes'), at('Argument Attributes')];
  };
  assert.deepEqual(await attributes('illumos', 'fsinfo::fop_open:open'), ['Private/Private/Unknown', 'Evolving/Evolving/ISA']);
  assert.deepEqual(await attributes('illumos', 'sysinfo:::readch'), ['Private/Private/Unknown', 'Private/Private/ISA']);
  assert.deepEqual(await attributes('macos', 'vminfo:::pgin'), ['Private/Private/Unknown', 'Private/Private/ISA']);
  assert.deepEqual(await attributes('illumos', 'io:::start'), ['Private/Private/Unknown', 'Evolving/Evolving/ISA']);
});
