// The names of a flavour's kernel types: structures and typedefs that exist in the real kernel
// (its CTF data would define them) whether or not our D library does. A cast to one of them,
// or member access through one the library leaves undefined, is accepted as opaque ("unknown
// (no kernel type information)"); a name that is no kernel type keeps DTrace's errors.
import { flavourData } from './flavourData';
import type { Flavour } from './flavours';

export interface KernelTypeNames {
  /** `struct` / `union` tags. */
  readonly tags: ReadonlySet<string>;
  readonly typedefs: ReadonlySet<string>;
}

/** Kernel structures scripts commonly reach through casts of `arg0`... and backquoted symbols. */
const COMMON_TAGS: Readonly<Record<Flavour, readonly string[]>> = {
  freebsd: [
    'thread', 'proc', 'ucred', 'vnode', 'mount', 'file', 'filedesc', 'buf', 'bio', 'mbuf', 'socket', 'sockbuf',
    'inpcb', 'tcpcb', 'ifnet', 'ip', 'ip6_hdr', 'tcphdr', 'udphdr', 'uio', 'iovec', 'componentname', 'nameidata',
    'namecache', 'vm_page', 'vm_object', 'vm_map', 'vm_map_entry', 'vmspace', 'pcpu', 'cdev', 'g_bio', 'g_geom',
    'g_provider', 'g_consumer', 'devstat', 'callout', 'mtx', 'sx', 'rwlock', 'lock_object', 'malloc_type', 'prison',
    'sysent', 'sysentvec', 'pargs', 'session', 'pgrp', 'uma_zone', 'knote', 'kevent', 'pipe', 'sockaddr',
    'sockaddr_in', 'sockaddr_in6', 'in_addr', 'in6_addr', 'ether_header', 'timespec', 'timeval', 'bintime',
    'vop_vector', 'vattr', 'statfs', 'nfsnode', 'zfsvfs', 'znode', 'taskqueue', 'task', 'cam_periph', 'ccb_hdr',
    'ccb_scsiio', 'disk', 'image_params', 'rusage', 'sigacts', 'ksiginfo', 'turnstile', 'sleepqueue', 'lock_class',
  ],
  illumos: [
    '_kthread', 'proc', 'user', 'cred', 'vnode', 'vfs', 'file', 'buf', 'msgb', 'datab', 'sonode', 'conn_s', 'ill_s',
    'ipif_s', 'tcp_s', 'udp_s', 'cpu', 'zone', 'klwp', 'uio', 'iovec', 'pid', 'page', 'seg', 'as', 'anon_map',
    'kmem_cache', 'kmutex', 'krwlock', 'kcondvar', 'taskq', 'ddi_softint_hdl_impl', 'dev_info', 'znode', 'zfsvfs',
    'spa', 'vdev', 'zio', 'dmu_buf_impl', 'arc_buf_hdr', 'callout', 'sess', 'task', 'kproject', 'sockaddr',
    'sockaddr_in', 'sockaddr_in6', 'in_addr', 'in6_addr', 'ip', 'ip6_hdr', 'tcphdr', 'udphdr', 'timespec', 'timeval',
    'pathname', 'caller_context', 'vattr', 'rnode', 'rnode4', 'mntinfo', 'exportinfo', 'svc_req', 'nfs_fh3',
  ],
  macos: [
    'thread', 'uthread', 'proc', 'ucred', 'vnode', 'mount', 'fileproc', 'fileglob', 'buf', 'mbuf', 'socket',
    'inpcb', 'tcpcb', 'ifnet', 'uio', 'iovec', 'task', 'vm_map', 'vm_page', 'vm_object', 'ipc_port', 'kevent',
    'sockaddr', 'sockaddr_in', 'sockaddr_in6', 'in_addr', 'in6_addr', 'ip', 'ip6_hdr', 'tcphdr', 'udphdr',
    'timespec', 'timeval', 'componentname', 'nameidata', 'vnode_attr', 'lck_mtx_t', 'processor',
  ],
  linux: [
    'task_struct', 'mm_struct', 'file', 'inode', 'dentry', 'super_block', 'sk_buff', 'sock', 'socket', 'net_device',
    'bio', 'request', 'page', 'vm_area_struct', 'cred', 'path', 'vfsmount', 'timespec64', 'sockaddr', 'sockaddr_in',
    'sockaddr_in6', 'iphdr', 'ipv6hdr', 'tcphdr', 'udphdr', 'pt_regs',
  ],
};

const COMMON_TYPEDEFS: Readonly<Record<Flavour, readonly string[]>> = {
  freebsd: ['vm_map_t', 'vm_object_t', 'vm_page_t', 'vm_offset_t', 'vm_paddr_t', 'vm_prot_t', 'vm_size_t', 'vm_pindex_t', 'vm_ooffset_t', 'uma_zone_t', 'device_t', 'bus_space_tag_t', 'u_int', 'u_long', 'u_short', 'u_char', 'boolean_t', 'register_t', 'sbintime_t', 'lwpid_t', 'sa_family_t', 'in_port_t', 'socklen_t'],
  illumos: ['kthread_t', 'proc_t', 'cred_t', 'vnode_t', 'vfs_t', 'file_t', 'buf_t', 'mblk_t', 'dblk_t', 'cpu_t', 'zone_t', 'klwp_t', 'uio_t', 'page_t', 'kmutex_t', 'krwlock_t', 'kcondvar_t', 'caddr_t', 'boolean_t', 'dev_info_t', 'conn_t', 'ill_t', 'ipif_t', 'tcp_t', 'udp_t', 'sonode_t', 'znode_t', 'zfsvfs_t', 'spa_t', 'vdev_t', 'zio_t', 'taskq_t', 'kmem_cache_t', 'vattr_t', 'rnode_t', 'hrtime_t', 'major_t', 'minor_t'],
  macos: ['thread_t', 'task_t', 'proc_t', 'vnode_t', 'mount_t', 'mbuf_t', 'socket_t', 'uio_t', 'kauth_cred_t', 'vfs_context_t', 'vm_map_t', 'vm_offset_t', 'vm_size_t', 'boolean_t', 'kern_return_t', 'mach_port_t', 'lck_mtx_t', 'user_addr_t', 'user_size_t'],
  linux: ['atomic_t', 'gfp_t', 'loff_t', 'umode_t', 'dev_t', 'pid_t', 'bool'],
};

const cache = new Map<Flavour, KernelTypeNames>();

export function kernelTypeNames(flavour: Flavour): KernelTypeNames {
  let names = cache.get(flavour);
  if (!names) cache.set(flavour, (names = collect(flavour)));
  return names;
}

/** The common names, plus every type the flavour's probes and kernel functions mention. */
function collect(flavour: Flavour): KernelTypeNames {
  const tags = new Set(COMMON_TAGS[flavour]);
  const typedefs = new Set(COMMON_TYPEDEFS[flavour]);
  const data = flavourData(flavour);
  // The same few type names recur thousands of times: read each once.
  const texts = new Set<string>();
  for (const f of data.kernelFunctions) {
    for (const a of f.args) texts.add(a);
    if (f.return !== undefined) texts.add(f.return);
  }
  for (const p of data.providers) for (const t of p.probes ?? []) for (const a of t.args ?? []) texts.add(a.native);
  for (const text of texts) {
    for (const m of text.matchAll(/\b(struct|union)\s+([A-Za-z_]\w*)|\b([A-Za-z_]\w*_t)\b/g)) {
      if (m[2] !== undefined) tags.add(m[2]);
      else if (m[3] !== undefined) typedefs.add(m[3]);
    }
  }
  return { tags, typedefs };
}
