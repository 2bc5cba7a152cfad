// What each D library file must define, folder by folder: the common files of server/lib/dtrace
// and each flavour's server/lib/flavours/<flavour>/dtrace. test/unit/library-syntax.test.ts
// checks the files against this list, no more and no less; add a name here when you add it to
// a library file.
export const FLAVOURS = ['freebsd', 'illumos', 'macos', 'linux'] as const;
export type Flavour = (typeof FLAVOURS)[number];

export interface Expected {
  inlines?: string;
  typedefs?: string;
  /** Tags declared with a body: `struct proc`, `enum td_states`. */
  tags?: string;
  enumerators?: string;
  /** `output < input >` with the input's type as written. */
  translators?: string[];
}

export const LIBRARY_CATALOGUE: Record<'common' | Flavour, Record<string, Expected>> = {
  common: {
    'unistd.d': {
      inlines:
        'DTRACEFLT_UNKNOWN DTRACEFLT_BADADDR DTRACEFLT_BADALIGN DTRACEFLT_ILLOP DTRACEFLT_DIVZERO ' +
        'DTRACEFLT_NOSCRATCH DTRACEFLT_KPRIV DTRACEFLT_UPRIV DTRACEFLT_TUPOFLOW DTRACEFLT_BADSTACK ' +
        'DTRACEFLT_LIBRARY',
    },
  },
  freebsd: {
    'errno.d': {
      inlines:
        'EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EDEADLK ENOMEM EACCES EFAULT ' +
        'ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ' +
        'ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EAGAIN EWOULDBLOCK EINPROGRESS EALREADY ENOTSOCK ' +
        'EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP ENOTSUP ' +
        'EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ' +
        'ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED ELOOP ' +
        'ENAMETOOLONG EHOSTDOWN EHOSTUNREACH ENOTEMPTY EPROCLIM EUSERS EDQUOT ESTALE EREMOTE EBADRPC ' +
        'ERPCMISMATCH EPROGUNAVAIL EPROGMISMATCH EPROCUNAVAIL ENOLCK ENOSYS EFTYPE EAUTH ENEEDAUTH EIDRM ' +
        'ENOMSG EOVERFLOW ECANCELED EILSEQ ENOATTR EDOOFUS EBADMSG EMULTIHOP ENOLINK EPROTO ENOTCAPABLE ' +
        'ECAPMODE ENOTRECOVERABLE EOWNERDEAD EINTEGRITY ELAST ERESTART EJUSTRETURN ENOIOCTL EDIRIOCTL ' +
        'ERELOOKUP',
    },
    'io.d': {
      inlines:
        'O_ACCMODE O_RDONLY O_WRONLY O_RDWR O_NONBLOCK O_NDELAY O_APPEND O_SYNC O_CREAT O_TRUNC O_EXCL ' +
        'O_NOCTTY BIO_READ BIO_WRITE BIO_DELETE BIO_GETATTR BIO_FLUSH BIO_CMD0 BIO_CMD1 BIO_CMD2 BIO_ZONE ' +
        'BIO_SPEEDUP BIO_ERROR BIO_DONE BIO_ONQUEUE BIO_ORDERED BIO_UNMAPPED BIO_TRANSIENT_MAPPING ' +
        'BIO_VLIST DEVSTAT_TYPE_DIRECT DEVSTAT_TYPE_SEQUENTIAL DEVSTAT_TYPE_PRINTER ' +
        'DEVSTAT_TYPE_PROCESSOR DEVSTAT_TYPE_WORM DEVSTAT_TYPE_CDROM DEVSTAT_TYPE_SCANNER ' +
        'DEVSTAT_TYPE_OPTICAL DEVSTAT_TYPE_CHANGER DEVSTAT_TYPE_COMM DEVSTAT_TYPE_ASC0 DEVSTAT_TYPE_ASC1 ' +
        'DEVSTAT_TYPE_STORARRAY DEVSTAT_TYPE_ENCLOSURE DEVSTAT_TYPE_FLOPPY DEVSTAT_TYPE_MASK ' +
        'DEVSTAT_TYPE_IF_SCSI DEVSTAT_TYPE_IF_IDE DEVSTAT_TYPE_IF_OTHER DEVSTAT_TYPE_IF_MASK ' +
        'DEVSTAT_TYPE_PASS bio_cmd_string bio_flag_string device_type_string device_type device_if_string ' +
        'device_if fds',
      typedefs:
        'bufinfo_t devinfo_t fileinfo_t',
      tags:
        'struct bufinfo struct devinfo struct fileinfo',
      translators: [
        'bufinfo_t < struct bio * >',
        'devinfo_t < struct devstat * >',
        'fileinfo_t < struct file * >',
        'fileinfo_t < struct vnode * >',
      ],
    },
    'ip.d': {
      inlines:
        'IPPROTO_IP IPPROTO_ICMP IPPROTO_IGMP IPPROTO_IPV4 IPPROTO_TCP IPPROTO_UDP IPPROTO_IPV6 ' +
        'IPPROTO_ROUTING IPPROTO_FRAGMENT IPPROTO_RSVP IPPROTO_GRE IPPROTO_ESP IPPROTO_AH IPPROTO_MOBILE ' +
        'IPPROTO_ICMPV6 IPPROTO_DSTOPTS IPPROTO_ETHERIP IPPROTO_PIM IPPROTO_IPCOMP IPPROTO_SCTP ' +
        'IPPROTO_UDPLITE IPPROTO_RAW IFF_LOOPBACK protocols',
      typedefs:
        'ipaddr_t in6_addr_t ipha_t pktinfo_t csinfo_t ipinfo_t ifinfo_t ipv4info_t ipv6info_t',
      tags:
        'struct ipha struct pktinfo struct csinfo struct ipinfo struct ifinfo struct ipv4info ' +
        'struct ipv6info',
      translators: [
        'pktinfo_t < void * >',
        'csinfo_t < void * >',
        'csinfo_t < struct inpcb * >',
        'ipinfo_t < uint8_t * >',
        'ipinfo_t < struct mbuf * >',
        'ifinfo_t < struct ifnet * >',
        'ipv4info_t < struct ip * >',
        'ipv6info_t < struct ip6_hdr * >',
      ],
    },
    'kernel.d': {
      inlines:
        'SV_ILP32 SV_LP64 P_SYSTEM TDI_SUSPENDED TDI_SLEEPING TDI_SWAPPED TDI_LOCK TDI_IWAIT',
      typedefs:
        'vm_map_t vm_map_entry_t vm_object_t vm_page_t pmap_t uma_zone_t proc_t kthread_t siginfo_t ' +
        'ksiginfo_t cap_rights_t cred_t',
      tags:
        'struct prison struct ucred struct session struct pgrp struct pargs struct sysentvec ' +
        'struct statfs struct vfsconf struct mount enum vtype struct vnode struct file struct cap_rights ' +
        'struct filecaps struct filedescent struct fdescenttbl struct filedesc struct pwd struct pwddesc ' +
        'enum uio_rw enum uio_seg struct iovec struct uio struct componentname struct vm_map ' +
        'struct vmspace enum p_states struct proc enum td_states struct syscall_args struct sysent ' +
        'struct thread struct g_class struct g_geom struct g_provider struct g_consumer struct cdev ' +
        'struct bio struct devstat struct lock_object struct mtx struct sx struct rwlock struct lock ' +
        'struct callout struct malloc_type struct malloc_type_stats struct malloc_type_internal ' +
        'struct pcpu union sigval struct __siginfo struct ksiginfo struct audit_record struct buf ' +
        'struct nameidata',
      enumerators:
        'VNON VREG VDIR VBLK VCHR VLNK VSOCK VFIFO VBAD VMARKER UIO_READ UIO_WRITE UIO_USERSPACE ' +
        'UIO_SYSSPACE UIO_NOCOPY PRS_NEW PRS_NORMAL PRS_ZOMBIE TDS_INACTIVE TDS_INHIBITED TDS_CAN_RUN ' +
        'TDS_RUNQ TDS_RUNNING',
    },
    'netinet.d': {
      inlines:
        'INP_IPV4 INP_IPV6',
      tags:
        'struct in_addr struct in6_addr struct sockaddr struct sockaddr_in struct sockaddr_in6 ' +
        'struct m_pkthdr struct mbuf struct ifnet struct sockbuf struct protosw struct socket ' +
        'struct in_addr_4in6 union in_dependaddr struct in_endpoints struct in_conninfo struct inpcb ' +
        'struct tcpcb struct ip struct ip6_hdrctl struct ip6_hdr struct tcphdr struct udphdr',
    },
    'procfs.d': {
      inlines:
        'SSLEEP SRUN SZOMB SSTOP SIDL SONPROC SWAIT PR_STOPPED PR_ISTOP PR_DSTOP PR_STEP PR_ASLEEP ' +
        'PR_PCINVAL PR_ASLWP PR_AGENT PR_DETACH PR_DAEMON PR_IDLE PR_ISSYS PR_VFORKP PR_ORPHAN ' +
        'PR_NOSIGCHLD PR_WAITPID PR_FORK PR_RLC PR_KLC PR_ASYNC PR_MSACCT PR_BPTADJ PR_PTRACE PR_MSFORK ' +
        'PR_MODEL_ILP32 PR_MODEL_LP64 SOBJ_NONE SOBJ_MUTEX SOBJ_RWLOCK SOBJ_CV SOBJ_SEMA SOBJ_USER ' +
        'SOBJ_USER_PI SOBJ_SHUTTLE curpsinfo curlwpsinfo',
      typedefs:
        'psinfo_t lwpsinfo_t',
      tags:
        'struct psinfo struct lwpsinfo',
      translators: [
        'psinfo_t < struct proc * >',
        'psinfo_t < struct thread * >',
        'lwpsinfo_t < struct thread * >',
      ],
    },
    'regs.d': {
      inlines:
        'R_GS R_FS R_ES R_DS R_EDI R_ESI R_EBP R_ESP R_EBX R_EDX R_ECX R_EAX R_TRAPNO R_ERR R_EIP R_CS ' +
        'R_EFL R_UESP R_SS R_PC R_SP R_PS R_R0 R_R1 R_R15 R_R14 R_R13 R_R12 R_R11 R_R10 R_R9 R_R8 R_RDI ' +
        'R_RSI R_RBP R_RBX R_RDX R_RCX R_RAX R_RIP R_RFL R_RSP',
    },
    'sched.d': {
      inlines:
        'curcpu pset chip lgrp',
      typedefs:
        'processor_info_t cpuinfo_t',
      tags:
        'struct processor_info struct cpuinfo',
      translators: [
        'cpuinfo_t < struct pcpu * >',
      ],
    },
    'sctp.d': {
      inlines:
        'SCTP_STATE_EMPTY SCTP_STATE_INUSE SCTP_STATE_COOKIE_WAIT SCTP_STATE_COOKIE_ECHOED ' +
        'SCTP_STATE_OPEN SCTP_STATE_SHUTDOWN_SENT SCTP_STATE_SHUTDOWN_RECEIVED ' +
        'SCTP_STATE_SHUTDOWN_ACK_SENT SCTP_STATE_SHUTDOWN_PENDING SCTP_STATE_CLOSED_SOCKET ' +
        'SCTP_STATE_ABOUT_TO_BE_FREED SCTP_STATE_PARTIAL_MSG_LEFT SCTP_STATE_WAS_ABORTED ' +
        'SCTP_STATE_IN_ACCEPT_QUEUE SCTP_STATE_MASK SCTP_STATE_BOUND SCTP_STATE_LISTEN SCTP_STATE_CLOSED ' +
        'sctp_state_string',
      typedefs:
        'sctpsinfo_t sctplsinfo_t sctpinfo_t',
      tags:
        'struct sctphdr struct sctp_association struct sctp_inpcb struct sctp_tcb struct sctpsinfo ' +
        'struct sctplsinfo struct sctpinfo',
      translators: [
        'csinfo_t < struct sctp_tcb * >',
        'sctpsinfo_t < struct sctp_tcb * >',
        'sctpinfo_t < struct sctphdr * >',
        'sctplsinfo_t < int >',
      ],
    },
    'siftr.d': {
      inlines:
        'SIFTR_IN SIFTR_OUT siftr_dir_string',
      typedefs:
        'siftrinfo_t',
      tags:
        'struct pkt_node struct siftrinfo',
      translators: [
        'siftrinfo_t < struct pkt_node * >',
      ],
    },
    'signal.d': {
      inlines:
        'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGIOT SIGEMT SIGFPE SIGKILL SIGBUS SIGSEGV SIGSYS ' +
        'SIGPIPE SIGALRM SIGTERM SIGURG SIGSTOP SIGTSTP SIGCONT SIGCHLD SIGTTIN SIGTTOU SIGIO SIGXCPU ' +
        'SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGINFO SIGUSR1 SIGUSR2 SIGTHR SIGLIBRT CLD_EXITED CLD_KILLED ' +
        'CLD_DUMPED CLD_TRAPPED CLD_STOPPED CLD_CONTINUED',
    },
    'socket.d': {
      inlines:
        'AF_UNSPEC AF_UNIX AF_INET AF_IMPLINK AF_PUP AF_CHAOS AF_NETBIOS AF_ISO AF_ECMA AF_DATAKIT ' +
        'AF_CCITT AF_SNA AF_DECnet AF_DLI AF_LAT AF_HYLINK AF_APPLETALK AF_ROUTE AF_LINK AF_COIP AF_CNT ' +
        'AF_IPX AF_SIP AF_ISDN AF_INET6 AF_NATM AF_ATM AF_NETGRAPH AF_SLOW AF_SCLUSTER AF_ARP ' +
        'AF_BLUETOOTH AF_IEEE80211 AF_HYPERV AF_DIVERT AF_LOCAL PF_UNSPEC PF_UNIX PF_INET PF_ROUTE ' +
        'PF_LINK PF_INET6 PF_NETGRAPH PF_BLUETOOTH PF_LOCAL SOCK_STREAM SOCK_DGRAM SOCK_RAW SOCK_RDM ' +
        'SOCK_SEQPACKET SO_DEBUG SO_ACCEPTCONN SO_REUSEADDR SO_KEEPALIVE SO_DONTROUTE SO_BROADCAST ' +
        'SO_USELOOPBACK SO_LINGER SO_OOBINLINE SO_REUSEPORT SO_TIMESTAMP SO_NOSIGPIPE SO_ACCEPTFILTER ' +
        'SO_BINTIME SO_SNDBUF SO_RCVBUF SO_SNDLOWAT SO_RCVLOWAT SO_SNDTIMEO SO_RCVTIMEO SO_ERROR SO_TYPE ' +
        'SO_LABEL SO_PEERLABEL SO_LISTENQLIMIT SO_LISTENQLEN SO_LISTENINCQLEN SO_SETFIB SO_USER_COOKIE ' +
        'SO_PROTOCOL',
    },
    'sys.d': {
      typedefs:
        'rlim_t __socklen_t acl_type_t cpulevel_t cpuwhich_t cpusetid_t idtype_t key_t ffcounter semid_t ' +
        'sigset_t fd_set cpuset_t domainset_t stack_t',
      tags:
        'struct __sigset struct stat struct pollfd struct rlimit struct rusage struct timezone ' +
        'struct msghdr struct fd_set struct _cpuset struct _domainset struct itimerval struct itimerspec ' +
        'struct sigaction struct sigaltstack struct sched_param struct rtprio struct kevent struct sembuf ' +
        'union semun struct mq_attr struct uuid',
    },
    'tcp.d': {
      inlines:
        'TCPS_CLOSED TCPS_LISTEN TCPS_SYN_SENT TCPS_SYN_RECEIVED TCPS_ESTABLISHED TCPS_CLOSE_WAIT ' +
        'TCPS_FIN_WAIT_1 TCPS_CLOSING TCPS_LAST_ACK TCPS_FIN_WAIT_2 TCPS_TIME_WAIT TH_FIN TH_SYN TH_RST ' +
        'TH_PUSH TH_ACK TH_URG TH_ECE TH_CWR tcp_state_string TA_INPUT TA_OUTPUT TA_USER TA_RESPOND ' +
        'TA_DROP tcpdebug_dir_string tcpflag_string PRU_ATTACH PRU_DETACH PRU_BIND PRU_LISTEN PRU_CONNECT ' +
        'PRU_ACCEPT PRU_DISCONNECT PRU_SHUTDOWN PRU_RCVD PRU_SEND PRU_ABORT PRU_CONTROL PRU_SENSE ' +
        'PRU_RCVOOB PRU_SENDOOB PRU_SOCKADDR PRU_PEERADDR PRU_CONNECT2 PRU_FASTTIMO PRU_SLOWTIMO ' +
        'PRU_PROTORCV PRU_PROTOSEND PRU_SEND_EOF PRU_SOSETLABEL PRU_CLOSE PRU_FLUSH prureq_string',
      typedefs:
        'tcpsinfo_t tcplsinfo_t tcpinfo_t tcpinfoh_t',
      tags:
        'struct tcpsinfo struct tcplsinfo struct tcpinfo struct tcpinfoh',
      translators: [
        'csinfo_t < struct tcpcb * >',
        'tcpsinfo_t < struct tcpcb * >',
        'tcpinfo_t < struct tcphdr * >',
        'tcpinfoh_t < struct tcphdr * >',
        'tcplsinfo_t < int >',
      ],
    },
    'types.d': {
      typedefs:
        'u_char u_short u_int u_long u_int8_t u_int16_t u_int32_t u_int64_t u_quad_t quad_t uid_t gid_t ' +
        'lwpid_t taskid_t projid_t poolid_t zoneid_t processorid_t psetid_t dev_t ino_t off_t offset_t ' +
        'daddr_t mode_t nlink_t fflags_t blkcnt_t blksize_t accmode_t bool boolean_t ufs2_daddr_t ' +
        'objtype_t vm_offset_t vm_size_t vm_paddr_t vm_pindex_t vm_ooffset_t vm_prot_t segsz_t register_t ' +
        'sa_family_t in_addr_t in_port_t socklen_t chipid_t lgrp_id_t caddr_t time_t hrtime_t suseconds_t ' +
        'clockid_t sbintime_t timespec_t timestruc_t',
      tags:
        'struct timespec struct timeval struct bintime',
    },
    'udp.d': {
      typedefs:
        'udpsinfo_t udpinfo_t udplitesinfo_t udpliteinfo_t',
      tags:
        'struct udpsinfo struct udpinfo struct udplitesinfo struct udpliteinfo',
      translators: [
        'udpsinfo_t < struct inpcb * >',
        'udpinfo_t < struct udphdr * >',
        'udplitesinfo_t < struct inpcb * >',
        'udpliteinfo_t < struct udphdr * >',
      ],
    },
    'vfs.d': {
      tags:
        'struct vattr struct vnodeop_desc struct vop_generic_args struct vop_read_args ' +
        'struct vop_write_args struct vop_open_args struct vop_close_args struct vop_getattr_args ' +
        'struct vop_setattr_args struct vop_access_args struct vop_lookup_args ' +
        'struct vop_cachedlookup_args struct vop_create_args struct vop_mkdir_args struct vop_remove_args ' +
        'struct vop_rmdir_args struct vop_rename_args struct vop_readdir_args struct vop_readlink_args ' +
        'struct vop_fsync_args struct vop_inactive_args struct vop_reclaim_args struct vop_link_args ' +
        'struct vop_symlink_args struct vop_mknod_args struct vop_ioctl_args struct vop_strategy_args ' +
        'struct vop_getpages_args struct vop_putpages_args struct vop_stat_args',
    },
  },
  illumos: {
    'errno.d': {
      inlines:
        'EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT ' +
        'ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ' +
        'ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG ' +
        'EUNATCH ENOCSI EL2HLT EDEADLK ENOLCK ECANCELED ENOTSUP EDQUOT EBADE EBADR EXFULL ENOANO EBADRQC ' +
        'EBADSLT EDEADLOCK EBFONT EOWNERDEAD ENOTRECOVERABLE ENOSTR ENODATA ETIME ENOSR ENONET ENOPKG ' +
        'EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO ELOCKUNMAPPED ENOTACTIVE EMULTIHOP EBADMSG ENAMETOOLONG ' +
        'EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ENOSYS ELOOP ' +
        'ERESTART ESTRPIPE ENOTEMPTY EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT ' +
        'EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ' +
        'ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ' +
        'ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY EINPROGRESS ESTALE ' +
        'EWOULDBLOCK',
    },
    'io.d': {
      inlines:
        'B_BUSY B_DONE B_ERROR B_PAGEIO B_PHYS B_READ B_WRITE B_KERNBUF B_WANTED B_AGE B_ASYNC B_DELWRI ' +
        'B_STALE B_DONTNEED B_REMAPPED B_FREE B_INVAL B_FORCE B_NOCACHE B_TRUNC B_SHADOW B_RETRYWRI ' +
        'B_FAILFAST O_ACCMODE O_RDONLY O_WRONLY O_RDWR O_NDELAY O_APPEND O_SYNC O_DSYNC O_NONBLOCK ' +
        'O_CREAT O_TRUNC O_EXCL O_NOCTTY O_LARGEFILE O_RSYNC fds',
      typedefs:
        'bufinfo_t devinfo_t fileinfo_t',
      tags:
        'struct bufinfo struct devinfo struct fileinfo',
      translators: [
        'bufinfo_t < buf_t * >',
        'devinfo_t < buf_t * >',
        'fileinfo_t < buf_t * >',
        'fileinfo_t < file_t * >',
        'fileinfo_t < vnode_t * >',
      ],
    },
    'ip.d': {
      inlines:
        'IPPROTO_IP IPPROTO_ICMP IPPROTO_IGMP IPPROTO_IPV4 IPPROTO_TCP IPPROTO_UDP IPPROTO_IPV6 ' +
        'IPPROTO_ROUTING IPPROTO_FRAGMENT IPPROTO_RSVP IPPROTO_GRE IPPROTO_ESP IPPROTO_AH IPPROTO_MOBILE ' +
        'IPPROTO_ICMPV6 IPPROTO_DSTOPTS IPPROTO_ETHERIP IPPROTO_PIM IPPROTO_IPCOMP IPPROTO_SCTP ' +
        'IPPROTO_RAW IFF_LOOPBACK protocols',
      typedefs:
        'in6_addr_t ipha_t ip6_t void_ip_t ill_t __dtrace_ipsr_ill_t conn_t ip_xmit_attr_t pktinfo_t ' +
        'csinfo_t ipinfo_t ifinfo_t ipv4info_t ipv6info_t',
      tags:
        'struct in6_addr struct ipha_s struct ip6_hdrctl struct ip6_hdr struct ill_s struct conn_s ' +
        'struct ip_xmit_attr_s struct pktinfo struct csinfo struct ipinfo struct ifinfo struct ipv4info ' +
        'struct ipv6info',
      translators: [
        'pktinfo_t < mblk_t * >',
        'csinfo_t < conn_t * >',
        'csinfo_t < ip_xmit_attr_t * >',
        'ipinfo_t < void_ip_t * >',
        'ifinfo_t < __dtrace_ipsr_ill_t * >',
        'ipv4info_t < ipha_t * >',
        'ipv6info_t < ip6_t * >',
      ],
    },
    'kernel.d': {
      inlines:
        'DATAMODEL_ILP32 DATAMODEL_LP64 SSYS SEXITING SVFORK SNOWAIT SJCTL SMSACCT SPRFORK SKILLED ' +
        'TS_FREE TS_SLEEP TS_RUN TS_ONPROC TS_ZOMB TS_STOPPED TS_WAIT',
      typedefs:
        'cred_t zone_t kproject_t task_t pool_t sess_t vtype_t vfssw_t vfs_t vnode_t file_t uf_entry_t ' +
        'uf_info_t user_t proc_t klwp_t disp_t cpupart_t lgrp_t processor_info_t chip_t cpu_t sobj_ops_t ' +
        'kthread_t buf_t dev_info_t dblk_t mblk_t queue_t kmem_cache_t k_siginfo_t siginfo_t kmutex_t krwlock_t ' +
        'kcondvar_t uio_rw_t uio_seg_t iovec_t uio_t vattr_t pathname_t caller_context_t',
      tags:
        'struct cred struct zone struct kproject struct task struct pool struct pid struct sess ' +
        'enum vtype struct vfssw struct vfs struct vnode struct file struct uf_entry struct uf_info ' +
        'struct user struct lrusage struct as struct proc struct _klwp struct _disp struct cpupart ' +
        'struct lgrp struct processor_info struct cpu_chip struct cpu struct _kthread_sobj_ops ' +
        'struct _kthread struct buf struct dev_info struct datab struct msgb struct module_info ' +
        'struct qinit struct queue struct kmem_cache struct k_siginfo struct mutex struct _krwlock ' +
        'struct _kcondvar enum fault_type enum seg_rw enum uio_rw enum uio_seg struct iovec struct uio struct vattr struct pathname ' +
        'struct caller_context',
      enumerators:
        'VNON VREG VDIR VBLK VCHR VLNK VFIFO VDOOR VPROC VSOCK VPORT VBAD F_INVAL F_PROT F_SOFTLOCK ' +
        'F_SOFTUNLOCK S_OTHER S_READ S_WRITE S_EXEC S_CREATE S_READ_NOCOW UIO_READ UIO_WRITE ' +
        'UIO_USERSPACE UIO_SYSSPACE UIO_USERISPACE',
    },
    'procfs.d': {
      inlines:
        'SSLEEP SRUN SZOMB SSTOP SIDL SONPROC SWAIT PR_STOPPED PR_ISTOP PR_DSTOP PR_STEP PR_ASLEEP ' +
        'PR_PCINVAL PR_ASLWP PR_AGENT PR_DETACH PR_DAEMON PR_IDLE PR_ISSYS PR_VFORKP PR_ORPHAN ' +
        'PR_NOSIGCHLD PR_WAITPID PR_FORK PR_RLC PR_KLC PR_ASYNC PR_MSACCT PR_BPTADJ PR_PTRACE PR_MSFORK ' +
        'PR_MODEL_ILP32 PR_MODEL_LP64 SOBJ_NONE SOBJ_MUTEX SOBJ_RWLOCK SOBJ_CV SOBJ_SEMA SOBJ_USER ' +
        'SOBJ_USER_PI SOBJ_SHUTTLE curpsinfo curlwpsinfo',
      typedefs:
        'lwpsinfo_t psinfo_t',
      tags:
        'struct lwpsinfo struct psinfo',
      translators: [
        'psinfo_t < proc_t * >',
        'lwpsinfo_t < kthread_t * >',
        'psinfo_t < kthread_t * >',
      ],
    },
    'regs.d': {
      inlines:
        'R_GS R_FS R_ES R_DS R_EDI R_ESI R_EBP R_ESP R_EBX R_EDX R_ECX R_EAX R_TRAPNO R_ERR R_EIP R_CS ' +
        'R_EFL R_UESP R_SS R_PC R_SP R_PS R_R0 R_R1 R_R15 R_R14 R_R13 R_R12 R_R11 R_R10 R_R9 R_R8 R_RDI ' +
        'R_RSI R_RBP R_RBX R_RDX R_RCX R_RAX R_RIP R_RFL R_RSP',
    },
    'sched.d': {
      inlines:
        'curcpu pset chip lgrp',
      typedefs:
        'cpuinfo_t',
      tags:
        'struct cpuinfo',
      translators: [
        'cpuinfo_t < cpu_t * >',
      ],
    },
    'signal.d': {
      inlines:
        'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGEMT SIGFPE SIGKILL SIGBUS SIGSEGV SIGSYS SIGPIPE ' +
        'SIGALRM SIGTERM SIGUSR1 SIGUSR2 SIGCHLD SIGPWR SIGWINCH SIGURG SIGPOLL SIGSTOP SIGTSTP SIGCONT ' +
        'SIGTTIN SIGTTOU SIGVTALRM SIGPROF SIGXCPU SIGXFSZ SIGWAITING SIGLWP SIGFREEZE SIGTHAW SIGCANCEL ' +
        'SIGLOST SIGXRES SIGJVM1 SIGJVM2 SIGINFO SIGIOT SIGCLD SIGIO CLD_EXITED CLD_KILLED CLD_DUMPED ' +
        'CLD_TRAPPED CLD_STOPPED CLD_CONTINUED',
    },
    'smb.d': {
      typedefs:
        'smbopinfo_t smb2opinfo_t smb_rw_args_t smb_name_args_t smb_open_args_t',
      tags:
        'struct smbopinfo struct smb2opinfo struct smb_rw_args struct smb_name_args struct smb_open_args',
    },
    'socket.d': {
      inlines:
        'AF_UNSPEC AF_UNIX AF_INET AF_INET6 AF_LOCAL PF_UNSPEC PF_UNIX PF_LOCAL PF_INET PF_INET6 ' +
        'SOCK_STREAM SOCK_DGRAM SOCK_RAW SOCK_RDM SOCK_SEQPACKET',
      typedefs:
        'in_addr_t',
      tags:
        'struct in_addr struct sockaddr struct sockaddr_in struct sockaddr_in6',
    },
    'storage.d': {
      inlines:
        'T_RDMA',
      typedefs:
        'conninfo_t scsicmd_t xferinfo_t iscsiinfo_t fc_port_info_t fc_xferinfo_t srp_portinfo_t ' +
        'srp_logininfo_t srp_taskinfo_t nfsv3opinfo_t nfsv4opinfo_t nfsv4cbinfo_t',
      tags:
        'struct conninfo struct scsicmd struct xferinfo struct iscsiinfo struct fc_port_info ' +
        'struct fc_xferinfo struct srp_portinfo struct srp_logininfo struct srp_taskinfo ' +
        'struct nfsv3opinfo struct nfsv4opinfo struct nfsv4cbinfo',
    },
    'sys.d': {
      typedefs:
        'rlim_t idtype_t key_t sigset_t',
      tags:
        'struct stat struct stat64 struct pollfd struct rlimit struct rusage struct timezone struct msghdr',
    },
    'tcp.d': {
      inlines:
        'TCP_STATE_CLOSED TCP_STATE_IDLE TCP_STATE_BOUND TCP_STATE_LISTEN TCP_STATE_SYN_SENT ' +
        'TCP_STATE_SYN_RCVD TCP_STATE_ESTABLISHED TCP_STATE_CLOSE_WAIT TCP_STATE_FIN_WAIT_1 ' +
        'TCP_STATE_CLOSING TCP_STATE_LAST_ACK TCP_STATE_FIN_WAIT_2 TCP_STATE_TIME_WAIT TH_FIN TH_SYN ' +
        'TH_RST TH_PUSH TH_ACK TH_URG TH_ECE TH_CWR tcp_state_string',
      typedefs:
        'tcpha_t __dtrace_tcp_tcph_t __dtrace_tcp_void_ip_t tcp_t tcpsinfo_t tcplsinfo_t tcpinfo_t',
      tags:
        'struct tcpha_s struct tcp_s struct tcpsinfo struct tcplsinfo struct tcpinfo',
      translators: [
        'tcpsinfo_t < tcp_t * >',
        'tcpinfo_t < tcpha_t * >',
        'tcplsinfo_t < int32_t >',
      ],
    },
    'types.d': {
      typedefs:
        'u_char u_short u_int u_long longlong_t boolean_t pri_t lock_t daddr32_t lldaddr_t u_offset_t ' +
        'rlim64_t faultcode_t krw_t uid_t gid_t lwpid_t taskid_t projid_t poolid_t zoneid_t ctid_t ' +
        'processorid_t psetid_t chipid_t lgrp_id_t dev_t major_t minor_t ino_t off_t offset_t diskaddr_t ' +
        'daddr_t mode_t nlink_t blksize_t blkcnt_t caddr_t pgcnt_t spgcnt_t pfn_t ipaddr_t in_port_t ' +
        'sa_family_t socklen_t time_t clock_t hrtime_t suseconds_t clockid_t timespec_t timestruc_t',
      tags:
        'struct timespec struct timeval',
    },
    'udp.d': {
      typedefs:
        'udpha_t udp_t udpsinfo_t udpinfo_t',
      tags:
        'struct udpha_s struct udp_s struct udpsinfo struct udpinfo',
      translators: [
        'udpsinfo_t < udp_t * >',
        'udpinfo_t < udpha_t * >',
      ],
    },
  },
  macos: {
    'errno.d': {
      inlines:
        'EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EDEADLK ENOMEM EACCES EFAULT ' +
        'ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ' +
        'ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EAGAIN EINPROGRESS EALREADY ENOTSOCK EDESTADDRREQ ' +
        'EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT ENOTSUP EPFNOSUPPORT ' +
        'EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ' +
        'ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED ELOOP ENAMETOOLONG ' +
        'EHOSTDOWN EHOSTUNREACH ENOTEMPTY EPROCLIM EUSERS EDQUOT ESTALE EREMOTE EBADRPC ERPCMISMATCH ' +
        'EPROGUNAVAIL EPROGMISMATCH EPROCUNAVAIL ENOLCK ENOSYS EFTYPE EAUTH ENEEDAUTH EPWROFF EDEVERR ' +
        'EOVERFLOW EBADEXEC EBADARCH ESHLIBVERS EBADMACHO ECANCELED EIDRM ENOMSG EILSEQ ENOATTR EBADMSG ' +
        'EMULTIHOP ENODATA ENOLINK ENOSR ENOSTR EPROTO ETIME EOPNOTSUPP ENOPOLICY ENOTRECOVERABLE ' +
        'EOWNERDEAD EQFULL EWOULDBLOCK ELAST',
    },
    'fcntl.d': {
      inlines:
        'O_ACCMODE O_RDONLY O_WRONLY O_RDWR O_NONBLOCK O_NDELAY O_APPEND O_SHLOCK O_EXLOCK O_ASYNC O_SYNC ' +
        'O_FSYNC O_NOFOLLOW O_CREAT O_TRUNC O_EXCL O_EVTONLY O_NOCTTY O_DIRECTORY O_SYMLINK O_DSYNC ' +
        'O_CLOEXEC O_NOFOLLOW_ANY',
    },
    'io.d': {
      inlines:
        'B_WRITE B_READ B_ASYNC B_NOCACHE B_DELWRI B_LOCKED B_PHYS B_CLUSTER B_PAGEIO B_META B_RAW B_FUA ' +
        'B_PASSIVE DTYPE_VNODE DTYPE_SOCKET DTYPE_PSXSHM DTYPE_PSXSEM DTYPE_KQUEUE DTYPE_PIPE DTYPE_FSEVENTS fds',
      typedefs:
        'bufinfo_t devinfo_t fileinfo_t',
      tags:
        'struct bufinfo struct devinfo struct fileinfo',
      translators: [
        'bufinfo_t < struct buf * >',
        'devinfo_t < struct buf * >',
        'fileinfo_t < struct buf * >',
        'fileinfo_t < struct fileglob * >',
        'fileinfo_t < struct vnode * >',
      ],
    },
    'ip.d': {
      inlines:
        'IPPROTO_IP IPPROTO_ICMP IPPROTO_IGMP IPPROTO_IPV4 IPPROTO_TCP IPPROTO_UDP IPPROTO_IPV6 ' +
        'IPPROTO_ROUTING IPPROTO_FRAGMENT IPPROTO_RSVP IPPROTO_GRE IPPROTO_ESP IPPROTO_AH IPPROTO_MOBILE ' +
        'IPPROTO_ICMPV6 IPPROTO_DSTOPTS IPPROTO_ETHERIP IPPROTO_PIM IPPROTO_IPCOMP IPPROTO_SCTP ' +
        'IPPROTO_RAW IFF_LOOPBACK protocols',
      typedefs:
        'ipha_t void_ip_t pktinfo_t csinfo_t ipinfo_t ifinfo_t ipv4info_t ipv6info_t',
      tags:
        'struct ipha struct pktinfo struct csinfo struct ipinfo struct ifinfo struct ipv4info ' +
        'struct ipv6info',
      translators: [
        'pktinfo_t < struct mbuf * >',
        'csinfo_t < struct inpcb * >',
        'ipinfo_t < void_ip_t * >',
        'ifinfo_t < struct ifnet * >',
        'ipv4info_t < struct ip * >',
        'ipv6info_t < struct ip6_hdr * >',
      ],
    },
    'kernel.d': {
      inlines:
        'P_LP64 P_SYSTEM UT_VFORK TH_WAIT TH_SUSP TH_RUN TH_UNINT TH_TERMINATE TH_TERMINATE2 TH_IDLE ' +
        'THREAD_TAG_MAINTHREAD THREAD_TAG_CALLOUT THREAD_TAG_IOWORKLOOP uthread curproc',
      typedefs:
        'vnode_t mount_t kauth_cred_t vfs_context_t vm_map_t pmap_t coalition_t kma_flags_t buf_t proc_t uthread_t processor_t ' +
        'thread_t kthread_t',
      tags:
        'struct posix_cred struct ucred struct vfsstatfs struct vfstable struct mount struct vnode ' +
        'struct componentname struct vnop_lookup_args struct vnop_open_args struct vnop_close_args ' +
        'struct vnop_read_args struct vnop_write_args struct vnop_getattr_args struct vnop_strategy_args struct fileops ' +
        'struct fileglob struct fileproc struct filedesc struct buf struct session struct pgrp struct proc struct task struct uthread struct processor ' +
        'struct thread',
    },
    'netinet.d': {
      inlines:
        'INP_IPV4 INP_IPV6',
      typedefs:
        'mbuf_t ifnet_t',
      tags:
        'struct m_hdr struct mbuf struct ifnet struct socket struct in_addr_4in6 struct inpcb ' +
        'struct tcpcb struct ip struct ip6_hdrctl struct ip6_hdr struct tcphdr',
    },
    'procfs.d': {
      inlines:
        'SIDL SRUN SSLEEP SSTOP SZOMB SONPROC SOBJ_NONE SOBJ_MUTEX SOBJ_RWLOCK SOBJ_CV SOBJ_SEMA ' +
        'SOBJ_USER SOBJ_USER_PI SOBJ_SHUTTLE PR_MODEL_ILP32 PR_MODEL_LP64 PR_STOPPED PR_ISTOP PR_DSTOP ' +
        'PR_STEP PR_ASLEEP PR_PCINVAL PR_ASLWP PR_AGENT PR_DETACH PR_DAEMON PR_ISSYS PR_VFORKP PR_ORPHAN ' +
        'PR_FORK PR_RLC PR_KLC PR_ASYNC PR_MSACCT PR_BPTADJ PR_PTRACE PR_MSFORK PR_IDLE curpsinfo ' +
        'curlwpsinfo cwd root',
      typedefs:
        'psinfo_t lwpsinfo_t',
      tags:
        'struct psinfo struct lwpsinfo',
      translators: [
        'psinfo_t < struct proc * >',
        'psinfo_t < struct thread * >',
        'lwpsinfo_t < struct thread * >',
      ],
    },
    'regs.d': {
      inlines:
        'R_GS R_FS R_ES R_DS R_EDI R_ESI R_EBP R_ESP R_EBX R_EDX R_ECX R_EAX R_TRAPNO R_ERR R_EIP R_CS ' +
        'R_EFL R_UESP R_SS R_PC R_SP R_PS R_R0 R_R1 R_R15 R_R14 R_R13 R_R12 R_R11 R_R10 R_R9 R_R8 R_RDI ' +
        'R_RSI R_RBP R_RBX R_RDX R_RCX R_RAX R_RIP R_RFL R_RSP',
    },
    'sched.d': {
      inlines:
        'curcpu pset chip lgrp',
      typedefs:
        'processor_info_t cpuinfo_t',
      tags:
        'struct processor_info struct cpuinfo',
      translators: [
        'cpuinfo_t < struct processor * >',
      ],
    },
    'signal.d': {
      inlines:
        'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGEMT SIGFPE SIGKILL SIGBUS SIGSEGV SIGSYS SIGPIPE ' +
        'SIGALRM SIGTERM SIGURG SIGSTOP SIGTSTP SIGCONT SIGCHLD SIGTTIN SIGTTOU SIGIO SIGXCPU SIGXFSZ ' +
        'SIGVTALRM SIGPROF SIGWINCH SIGINFO SIGUSR1 SIGUSR2 SIGIOT CLD_EXITED CLD_KILLED CLD_DUMPED ' +
        'CLD_TRAPPED CLD_STOPPED CLD_CONTINUED',
    },
    'socket.d': {
      inlines:
        'AF_UNSPEC AF_UNIX AF_INET AF_INET6 AF_LOCAL PF_UNSPEC PF_UNIX PF_LOCAL PF_INET PF_INET6 ' +
        'SOCK_STREAM SOCK_DGRAM SOCK_RAW SOCK_RDM SOCK_SEQPACKET',
      typedefs:
        'in_addr_t in_port_t ipaddr_t in6_addr_t',
      tags:
        'struct in_addr struct in6_addr struct sockaddr struct sockaddr_in struct sockaddr_in6',
    },
    'sys.d': {
      typedefs:
        'rlim_t socklen_t nlink_t blkcnt_t blksize_t u_int32_t user_ssize_t au_asid_t au_id_t guardid_t ' +
        'idtype_t key_t mach_port_name_t sae_associd_t sae_connid_t sem_t sigset_t uuid_t siginfo_t semun_t ' +
        'fhandle_t sa_endpoints_t',
      tags:
        'struct stat struct iovec struct pollfd struct rlimit struct rusage struct timezone struct msghdr ' +
        'union sigval struct __siginfo struct sigaction struct __sigaction struct sigaltstack struct itimerval ' +
        'struct kevent struct kevent64_s struct sembuf union semun struct fhandle struct sa_endpoints',
    },
    'tcp.d': {
      inlines:
        'TH_FIN TH_SYN TH_RST TH_PUSH TH_ACK TH_URG TH_ECE TH_CWR TCPS_CLOSED TCPS_LISTEN TCPS_SYN_SENT ' +
        'TCPS_SYN_RECEIVED TCPS_ESTABLISHED TCPS_CLOSE_WAIT TCPS_FIN_WAIT_1 TCPS_CLOSING TCPS_LAST_ACK ' +
        'TCPS_FIN_WAIT_2 TCPS_TIME_WAIT TCP_CC_CWND_INIT TCP_CC_INSEQ_ACK_RCVD TCP_CC_ACK_RCVD ' +
        'TCP_CC_ENTER_FASTRECOVERY TCP_CC_IN_FASTRECOVERY TCP_CC_EXIT_FASTRECOVERY TCP_CC_PARTIAL_ACK ' +
        'TCP_CC_IDLE_TIMEOUT TCP_CC_REXMT_TIMEOUT TCP_CC_ECN_RCVD TCP_CC_BAD_REXMT_RECOVERY ' +
        'TCP_CC_OUTPUT_ERROR TCP_CC_CHANGE_ALGO TCP_CC_FLOW_CONTROL TCP_CC_SUSPEND ' +
        'TCP_CC_LIMITED_TRANSMIT TCP_CC_EARLY_RETRANSMIT',
      typedefs:
        'tcpinfo_t tcpsinfo_t tcpnsinfo_t tcpccevent_t',
      tags:
        'struct tcpinfo struct tcpsinfo struct tcpnsinfo struct tcpccevent',
      translators: [
        'tcpinfo_t < struct tcphdr * >',
        'tcpsinfo_t < struct tcpcb * >',
        'tcpnsinfo_t < int32_t >',
        'tcpccevent_t < int32_t >',
      ],
    },
    'types.d': {
      typedefs:
        'u_char u_short u_int u_long user_addr_t user_size_t boolean_t kern_return_t errno_t vm_offset_t ' +
        'vm_size_t vm_map_offset_t vm_prot_t vm_tag_t wait_result_t event_t ast_t uid_t gid_t lwpid_t ' +
        'taskid_t projid_t poolid_t zoneid_t processorid_t psetid_t chipid_t lgrp_id_t dev_t ino_t off_t ' +
        'offset_t daddr64_t mode_t caddr_t time_t hrtime_t suseconds_t timespec_t timestruc_t',
      tags:
        'struct timespec struct timeval',
    },
  },
  linux: {
    'errno.d': {
      inlines:
        'EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT ' +
        'ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ' +
        'ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP ' +
        'ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ' +
        'ENOANO EBADRQC EBADSLT EBFONT ENOSTR ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV ' +
        'ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ' +
        'ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE ' +
        'EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT ' +
        'EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN ' +
        'ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY ' +
        'EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ' +
        'ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ERFKILL ' +
        'EHWPOISON EWOULDBLOCK EDEADLOCK ENOTSUP',
    },
    'fcntl.d': {
      inlines:
        'O_ACCMODE O_RDONLY O_WRONLY O_RDWR O_CREAT O_EXCL O_NOCTTY O_TRUNC O_APPEND O_NONBLOCK O_NDELAY ' +
        'O_DSYNC O_ASYNC O_DIRECT O_LARGEFILE O_DIRECTORY O_NOFOLLOW O_NOATIME O_CLOEXEC O_SYNC O_PATH ' +
        'O_TMPFILE',
    },
    'kernel.d': {
      typedefs:
        'kuid_t kgid_t siginfo_t',
      tags:
        'struct cred struct mm_struct struct task_struct struct siginfo',
    },
    'procfs.d': {
      inlines:
        'PR_MODEL_ILP32 PR_MODEL_LP64 SSLEEP SRUN SZOMB SSTOP SIDL SONPROC SWAIT curpsinfo curlwpsinfo',
      typedefs:
        'psinfo_t lwpsinfo_t',
      tags:
        'struct psinfo struct lwpsinfo',
      translators: [
        'psinfo_t < struct task_struct * >',
        'lwpsinfo_t < struct task_struct * >',
      ],
    },
    'signal.d': {
      inlines:
        'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 ' +
        'SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU ' +
        'SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS SIGIOT SIGPOLL SIGCLD CLD_EXITED ' +
        'CLD_KILLED CLD_DUMPED CLD_TRAPPED CLD_STOPPED CLD_CONTINUED',
    },
    'socket.d': {
      inlines:
        'AF_UNSPEC AF_UNIX AF_INET AF_INET6 AF_LOCAL PF_UNSPEC PF_UNIX PF_LOCAL PF_INET PF_INET6 ' +
        'SOCK_NONBLOCK SOCK_CLOEXEC IPPROTO_IP IPPROTO_ICMP IPPROTO_TCP IPPROTO_UDP IPPROTO_IPV6 ' +
        'IPPROTO_ICMPV6 IPPROTO_SCTP IPPROTO_UDPLITE IPPROTO_RAW SOCK_STREAM SOCK_DGRAM SOCK_RAW SOCK_RDM ' +
        'SOCK_SEQPACKET',
      typedefs:
        'in_addr_t in_port_t ipaddr_t in6_addr_t',
      tags:
        'struct in_addr struct in6_addr struct sockaddr struct sockaddr_in struct sockaddr_in6',
    },
    'sys.d': {
      typedefs:
        'rlim_t umode_t loff_t __s32 __u32 u32 u64 __kernel_old_time_t aio_context_t key_serial_t key_t ' +
        'mqd_t qid_t rwf_t timer_t gfp_t vm_fault_t blk_status_t sigset_t fd_set cap_user_header_t ' +
        'cap_user_data_t stack_t',
      tags:
        'struct stat struct iovec struct pollfd struct rlimit struct rusage struct timezone struct msghdr ' +
        'struct __user_cap_header_struct struct __user_cap_data_struct struct __kernel_timespec ' +
        'struct __kernel_itimerspec struct __kernel_old_timeval struct __kernel_old_itimerval struct utimbuf ' +
        'struct tms struct epoll_event struct sigaltstack struct sched_param struct open_how struct sembuf ' +
        'struct mq_attr struct rlimit64 struct new_utsname struct sysinfo',
    },
    'types.d': {
      typedefs:
        'uid_t gid_t lwpid_t taskid_t projid_t poolid_t zoneid_t processorid_t psetid_t dev_t ino_t off_t ' +
        'offset_t mode_t socklen_t caddr_t time_t hrtime_t suseconds_t clockid_t timespec_t',
      tags:
        'struct timespec struct timeval',
    },
  },
};

/** Spot checks of values that differ between systems. */
export const SPOT_VALUES: Record<Flavour, Record<string, number>> = {
  freebsd: {
    EWOULDBLOCK: 35, ENOTSUP: 45, EPERM: 1, ENOENT: 2, EAGAIN: 35, ERELOOKUP: -5,
    SIGIOT: 6, SIGKILL: 9, SIGCHLD: 20, SIGUSR1: 30,
    R_PC: 14, R_SP: 17, R_PS: 16, R_R0: 11, R_R1: 8, R_RIP: 40, R_RSP: 43,
    SSLEEP: 1, SONPROC: 6, AF_INET6: 28, TCPS_ESTABLISHED: 4, TCPS_TIME_WAIT: 10, IPPROTO_TCP: 6,
  },
  illumos: {
    EAGAIN: 11, EWOULDBLOCK: 11, EDEADLK: 45, ENOTSUP: 48, ECONNREFUSED: 146,
    SIGUSR1: 16, SIGCHLD: 18, SIGCLD: 18, SIGPOLL: 22, SIGIO: 22,
    R_PC: 14, R_SP: 17, R_R0: 11, R_R1: 8, R_RIP: 36, R_RSP: 39,
    AF_INET6: 26, SOCK_STREAM: 2, TCP_STATE_CLOSED: -6, TCP_STATE_ESTABLISHED: 0, TCP_STATE_TIME_WAIT: 6, B_READ: 0x40,
  },
  macos: {
    EAGAIN: 35, ENOTSUP: 45, EOPNOTSUPP: 102, ELAST: 106, SIGUSR1: 30, SIGCHLD: 20, AF_INET6: 30, B_READ: 0x1,
    SIDL: 1, SSLEEP: 3, SZOMB: 5, SONPROC: 6, R_RIP: 36, R_R1: 8, O_CREAT: 0x200, O_CLOEXEC: 0x1000000,
  },
  linux: {
    EAGAIN: 11, EDEADLK: 35, ENOTSUP: 95, ECONNREFUSED: 111, SIGUSR1: 10, SIGCHLD: 17, SIGSYS: 31, AF_INET6: 10,
    O_CREAT: 0x40, O_CLOEXEC: 0x80000, O_SYNC: 0x101000, SOCK_CLOEXEC: 0x80000, IPPROTO_UDP: 17,
  },
};

/**
 * Kernel types the probe catalogues and fbt functions name that the D library leaves opaque on
 * purpose (member access on them is accepted, typed "unknown"): private or version-dependent
 * internals scripts reach only through translated arguments or casts. Tags are written
 * `struct-name`. Everything else they name is declared by the flavour's library
 * (test/unit/library-syntax.test.ts).
 */
export const OPAQUE_ON_PURPOSE: Record<Flavour, string> = {
  freebsd:
    // ZFS internals (fbt)
    'arc_flags_t arc_read_done_func_t blkptr_t dmu_tx_t objset_t spa_t struct-znode zbookmark_phys_t ' +
    'zfs_uio_t zilog_t zio_priority_t zio_t ' +
    // vfs provider arguments of the less-traced vnode operations
    'struct-vop_accessx_args struct-vop_add_writecount_args struct-vop_advise_args ' +
    'struct-vop_advlock_args struct-vop_advlockasync_args struct-vop_advlockpurge_args ' +
    'struct-vop_allocate_args struct-vop_bmap_args struct-vop_copy_file_range_args ' +
    'struct-vop_deallocate_args struct-vop_deleteextattr_args struct-vop_fdatasync_args ' +
    'struct-vop_fplookup_symlink_args struct-vop_fplookup_vexec_args struct-vop_getacl_args ' +
    'struct-vop_getextattr_args struct-vop_getlowvnode_args struct-vop_getwritemount_args ' +
    'struct-vop_islocked_args struct-vop_kqfilter_args struct-vop_listextattr_args ' +
    'struct-vop_lock1_args struct-vop_need_inactive_args struct-vop_openextattr_args ' +
    'struct-vop_pathconf_args struct-vop_poll_args struct-vop_print_args struct-vop_read_pgcache_args ' +
    'struct-vop_reallocblks_args struct-vop_revoke_args struct-vop_setacl_args ' +
    'struct-vop_setextattr_args struct-vop_setlabel_args struct-vop_unlock_args ' +
    'struct-vop_unp_bind_args struct-vop_unp_connect_args struct-vop_unp_detach_args ' +
    'struct-vop_vptocnp_args struct-vop_vptofh_args ' +
    // system-call structures scripts rarely copy in
    'struct-__ucontext struct-aiocb struct-auditinfo_addr struct-ffclock_estimate struct-fhandle ' +
    'struct-jail struct-kld_file_stat struct-module_stat struct-msqid_ds struct-ntptimeval ' +
    'struct-sctp_sndrcvinfo struct-sf_hdtr struct-shmid_ds struct-sigevent struct-siginfo ' +
    'struct-spacectl_range struct-thr_param struct-timex ucontext_t ' +
    // other kernel internals (fbt and SDT natives)
    'enum-idtype struct-__wrusage struct-acl struct-auditinfo struct-bufobj struct-cv ' +
    'struct-domainset struct-fork_req struct-image_args struct-image_params struct-inode ' +
    'struct-inpcbinfo struct-intr_event struct-ip6_moptions struct-ip6_pktopts struct-ip_moptions ' +
    'struct-knlist struct-label struct-mac struct-mac_policy_conf struct-mmap_req struct-pipepair ' +
    'struct-racct struct-route struct-route_in6 struct-selinfo struct-sysctl_oid struct-sysctl_req ' +
    'struct-task struct-taskqueue struct-trapframe struct-turnstile struct-vop_vector union-ccb ' +
    'vop_getpages_iodone_t',
  illumos:
    // ZFS internals (fbt)
    'arc_flags_t arc_read_done_func_t blkptr_t dmu_tx_t dsl_pool_t objset_t spa_t zbookmark_phys_t ' +
    'zilog_t zio_priority_t zio_t ' +
    // NFS server internals (nfsv3/nfsv4 natives); scripts read the translated args[]
    'ACCESS3args ACCESS3res ACCESS4args ACCESS4res CB_RECALL4args CB_RECALL4res CLOSE4args CLOSE4res ' +
    'COMMIT3args COMMIT3res COMMIT4args COMMIT4res COMPOUND4args COMPOUND4res CREATE3args CREATE3res ' +
    'CREATE4args CREATE4res DELEGPURGE4args DELEGPURGE4res DELEGRETURN4args DELEGRETURN4res ' +
    'FSINFO3args FSINFO3res FSSTAT3args FSSTAT3res GETATTR3args GETATTR3res GETATTR4args GETATTR4res ' +
    'GETFH4args GETFH4res LINK3args LINK3res LINK4args LINK4res LOCK4args LOCK4res LOCKT4args ' +
    'LOCKT4res LOCKU4args LOCKU4res LOOKUP3args LOOKUP3res LOOKUP4args LOOKUP4res LOOKUPP4args ' +
    'LOOKUPP4res MKDIR3args MKDIR3res MKNOD3args MKNOD3res NVERIFY4args NVERIFY4res OPEN4args ' +
    'OPEN4res OPENATTR4args OPENATTR4res OPEN_CONFIRM4args OPEN_CONFIRM4res OPEN_DOWNGRADE4args ' +
    'OPEN_DOWNGRADE4res PATHCONF3args PATHCONF3res PUTFH4args PUTFH4res PUTPUBFH4args PUTPUBFH4res ' +
    'PUTROOTFH4args PUTROOTFH4res READ3args READ3res READ4args READ4res READDIR3args READDIR3res ' +
    'READDIR4args READDIR4res READDIRPLUS3args READDIRPLUS3res READLINK3args READLINK3res ' +
    'READLINK4args READLINK4res RELEASE_LOCKOWNER4args RELEASE_LOCKOWNER4res REMOVE3args REMOVE3res ' +
    'REMOVE4args REMOVE4res RENAME3args RENAME3res RENAME4args RENAME4res RENEW4args RENEW4res ' +
    'RESTOREFH4args RESTOREFH4res RMDIR3args RMDIR3res SAVEFH4args SAVEFH4res SECINFO4args ' +
    'SECINFO4res SETATTR3args SETATTR3res SETATTR4args SETATTR4res SETCLIENTID4args SETCLIENTID4res ' +
    'SETCLIENTID_CONFIRM4args SETCLIENTID_CONFIRM4res SYMLINK3args SYMLINK3res VERIFY4args VERIFY4res ' +
    'WRITE3args WRITE3res WRITE4args WRITE4res nfsv3oparg_t rfs4_deleg_state_t struct-compound_state ' +
    'struct-svc_req ' +
    // other kernel internals (fbt and SDT natives)
    'callout_t enum-create enum-symfollow fct_cmd_t fct_i_remote_port_t fct_local_port_t ibt_wr_ds_t ' +
    'idm_buf_t idm_conn_t ill_rx_ring_t ip_recv_attr_t ire_t iscsit_task_t lwp_timer_t ' +
    'mac_client_handle_t mac_handle_t mac_resource_handle_t mac_tx_cookie_t mutex_impl_t page_t ' +
    'scsi_task_t se_t srp_login_req_t srp_login_rsp_t srpt_channel_t srpt_iu_t srpt_session_t ' +
    'stmf_data_buf_t struct-hat struct-inode struct-mac_header_info_s struct-nmsghdr struct-page ' +
    'struct-regs struct-scsi_pkt struct-sd_lun struct-seg struct-smb_request struct-sonode ' +
    'turnstile_t vcexcl_t vsecattr_t',
  macos:
    // system-call structures scripts rarely copy in
    'graftdmg_args_un struct-_posix_spawn_args_desc struct-attrlist struct-auditinfo_addr ' +
    'struct-ch_info struct-ch_init struct-fssearchblock struct-kevent_qos_s struct-kpersona_info ' +
    'struct-mac struct-msghdr_x struct-msqid_ds struct-necp_aggregate_result struct-net_qos_param ' +
    'struct-ntptimeval struct-nxctl_init struct-nxprov_reg struct-searchstate struct-sf_hdtr ' +
    'struct-shared_file_mapping_slide_np struct-shared_file_np struct-shmid_ds struct-sigset_t ' +
    'struct-sigvec struct-statfs struct-statfs64 struct-timex struct-ucontext ' +
    // other kernel internals (fbt and SDT natives)
    'enum-uio_rw enum-uio_seg lck_mtx_t lck_rw_t lck_spin_t struct-__mac_execve_args ' +
    'struct-ifnet_stat_increment_param struct-ip_moptions struct-ip_out_args ' +
    'struct-nameidata struct-route struct-uio struct-vnode_attr ' +
    'thread_continue_t x86_saved_state_t',
  linux:
    // system-call structures scripts rarely copy in
    'enum-landlock_rule_type struct-__aio_sigset struct-__kernel_timex struct-clone_args ' +
    'struct-file_handle struct-futex_waitv struct-getcpu_cache struct-io_event struct-io_uring_params ' +
    'struct-iocb struct-kexec_segment struct-landlock_ruleset_attr struct-linux_dirent ' +
    'struct-linux_dirent64 struct-mmsghdr struct-mount_attr struct-msgbuf struct-msqid_ds ' +
    'struct-perf_event_attr struct-robust_list_head struct-rseq struct-sched_attr struct-shmid_ds ' +
    'struct-sigaction struct-sigevent struct-statfs struct-statx struct-user_desc struct-user_msghdr ' +
    'struct-ustat union-bpf_attr ' +
    // other kernel internals (fbt and SDT natives)
    'struct-bio struct-file struct-filename struct-kernel_clone_args struct-kmem_cache struct-net ' +
    'struct-net_device struct-open_flags struct-packet_type struct-path struct-pt_regs struct-request ' +
    'struct-sk_buff struct-sock struct-vm_area_struct',
};
