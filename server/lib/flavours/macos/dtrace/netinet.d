/*
 * netinet.d -- the XNU network structures the ip and tcp providers pass
 * natively: packets (struct mbuf), interfaces, sockets, Internet
 * protocol control blocks, TCP control blocks and the IPv4, IPv6 and
 * TCP headers.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS (bsd/sys/mbuf.h, bsd/net/if_var.h,
 * bsd/sys/socketvar.h, bsd/netinet/in_pcb.h, bsd/netinet/tcp_var.h,
 * bsd/netinet/ip.h, bsd/netinet/ip6.h, bsd/netinet/tcp.h); members are
 * a subset, offsets are ours.
 */

#pragma D depends_on library types.d
#pragma D depends_on library socket.d

struct m_hdr {
	struct mbuf *mh_next;
	struct mbuf *mh_nextpkt;
	caddr_t mh_data;
	int32_t mh_len;
	uint16_t mh_type;
	uint16_t mh_flags;
};

struct mbuf {
	struct m_hdr m_hdr;
};

struct ifnet {
	const char *if_name;
	uint16_t if_unit;
	uint32_t if_index;
	uint32_t if_flags;
	uint32_t if_mtu;
	char if_xname[24];
};

/* The kernel programming interface's names for packets and interfaces. */
typedef struct mbuf *mbuf_t;
typedef struct ifnet *ifnet_t;

struct socket {
	int so_zone;
	short so_type;
	uint32_t so_options;
	short so_linger;
	short so_state;
	void *so_pcb;
	pid_t last_pid;
	uint64_t last_upid;
};

struct in_addr_4in6 {
	uint32_t ia46_pad32[3];
	struct in_addr ia46_addr4;
};

struct inpcb {
	u_short inp_fport;
	u_short inp_lport;
	struct socket *inp_socket;
	u_char inp_vflag;
	u_char inp_ip_ttl;
	u_char inp_ip_p;
	union {
		struct in_addr_4in6 inp46_foreign;
		struct in6_addr inp6_foreign;
	} inp_dependfaddr;
	union {
		struct in_addr_4in6 inp46_local;
		struct in6_addr inp6_local;
	} inp_dependladdr;
};

inline int INP_IPV4 = 0x1;
inline int INP_IPV6 = 0x2;

struct tcpcb {
	int t_state;
	u_int t_flags;
	struct inpcb *t_inpcb;
	uint32_t snd_una;
	uint32_t snd_max;
	uint32_t snd_nxt;
	uint32_t snd_recover;
	uint32_t snd_wnd;
	uint32_t snd_cwnd;
	uint32_t snd_ssthresh;
	uint32_t rcv_nxt;
	uint32_t rcv_adv;
	uint32_t rcv_wnd;
	int t_rxtcur;
	u_int t_maxseg;
	u_int t_rttbest;
	int rcv_numsacks;
	int snd_numholes;
};

struct ip {
	u_char ip_hl:4, ip_v:4;
	u_char ip_tos;
	u_short ip_len;
	u_short ip_id;
	u_short ip_off;
	u_char ip_ttl;
	u_char ip_p;
	u_short ip_sum;
	struct in_addr ip_src;
	struct in_addr ip_dst;
};

struct ip6_hdrctl {
	uint32_t ip6_un1_flow;
	uint16_t ip6_un1_plen;
	uint8_t ip6_un1_nxt;
	uint8_t ip6_un1_hlim;
};

struct ip6_hdr {
	union {
		struct ip6_hdrctl ip6_un1;
		uint8_t ip6_un2_vfc;
	} ip6_ctlun;
	struct in6_addr ip6_src;
	struct in6_addr ip6_dst;
};

struct tcphdr {
	u_short th_sport;
	u_short th_dport;
	uint32_t th_seq;
	uint32_t th_ack;
	u_char th_x2:4, th_off:4;
	u_char th_flags;
	u_short th_win;
	u_short th_sum;
	u_short th_urp;
};
