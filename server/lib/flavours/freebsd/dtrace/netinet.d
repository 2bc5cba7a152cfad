/*
 * netinet.d -- the FreeBSD network structures that the ip, tcp, udp and
 * sctp translators read and that scripts reach through the network
 * providers' native arguments: packets (struct mbuf), sockets, protocol
 * control blocks, interfaces and the IPv4, IPv6, TCP and UDP headers.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Names and member types follow FreeBSD's public headers (sys/mbuf.h,
 * sys/socketvar.h, net/if_var.h, netinet/in.h, netinet/in_pcb.h,
 * netinet/ip.h, netinet/ip6.h, netinet/tcp.h, netinet/tcp_var.h,
 * netinet/udp.h); members are a subset and offsets are ours. The tcpcb
 * is FreeBSD 14's, which embeds its inpcb (t_inpcb).
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

/* Addresses. */
struct in_addr {
	in_addr_t s_addr;
};

struct in6_addr {
	union {
		uint8_t __u6_addr8[16];
		uint16_t __u6_addr16[8];
		uint32_t __u6_addr32[4];
	} __u6_addr;
};

struct sockaddr {
	u_char sa_len;
	sa_family_t sa_family;
	char sa_data[14];
};

struct sockaddr_in {
	uint8_t sin_len;
	sa_family_t sin_family;
	in_port_t sin_port;
	struct in_addr sin_addr;
	char sin_zero[8];
};

struct sockaddr_in6 {
	uint8_t sin6_len;
	sa_family_t sin6_family;
	in_port_t sin6_port;
	uint32_t sin6_flowinfo;
	struct in6_addr sin6_addr;
	uint32_t sin6_scope_id;
};

/* Packets. */
struct m_pkthdr {
	struct ifnet *rcvif;
	int32_t len;
	uint32_t flowid;
	uint32_t csum_flags;
};

struct mbuf {
	struct mbuf *m_next;
	struct mbuf *m_nextpkt;
	caddr_t m_data;
	int32_t m_len;
	uint32_t m_type;
	uint32_t m_flags;
	struct m_pkthdr m_pkthdr;
};

/* Interfaces. */
struct ifnet {
	char if_xname[16];
	const char *if_dname;
	int if_dunit;
	u_short if_index;
	int if_flags;
	u_int if_mtu;
	int if_fib;
	uint64_t if_baudrate;
};

/* Sockets. */
struct sockbuf {
	u_int sb_acc;
	u_int sb_ccc;
	u_int sb_mbcnt;
	u_int sb_hiwat;
	u_int sb_lowat;
	short sb_flags;
};

struct protosw {
	short pr_type;
	short pr_protocol;
	short pr_flags;
};

struct socket {
	short so_type;
	int so_options;
	short so_linger;
	short so_state;
	void *so_pcb;
	struct protosw *so_proto;
	struct ucred *so_cred;
	struct sockbuf so_rcv;
	struct sockbuf so_snd;
	u_int so_qlen;
	u_int so_qlimit;
};

/* Internet protocol control blocks: who is connected to whom. */
struct in_addr_4in6 {
	uint32_t ia46_pad32[3];
	struct in_addr ia46_addr4;
};

union in_dependaddr {
	struct in_addr_4in6 id46_addr;
	struct in6_addr id6_addr;
};

struct in_endpoints {
	uint16_t ie_fport;
	uint16_t ie_lport;
	union in_dependaddr ie_dependfaddr;
	union in_dependaddr ie_dependladdr;
};

struct in_conninfo {
	uint8_t inc_flags;
	uint8_t inc_len;
	uint16_t inc_fibnum;
	struct in_endpoints inc_ie;
};

struct inpcb {
	struct in_conninfo inp_inc;
	int inp_flags;
	int inp_flags2;
	struct socket *inp_socket;
	struct ucred *inp_cred;
	u_char inp_vflag;
	u_char inp_ip_ttl;
	u_char inp_ip_p;
	u_char inp_ip_minttl;
};

inline uint8_t INP_IPV4 = 0x01;
inline uint8_t INP_IPV6 = 0x02;

struct tcpcb {
	struct inpcb t_inpcb;
	int t_state;
	u_int t_flags;
	uint32_t snd_una;
	uint32_t snd_max;
	uint32_t snd_nxt;
	uint32_t snd_up;
	uint32_t snd_wl1;
	uint32_t snd_wl2;
	uint32_t iss;
	uint32_t irs;
	uint32_t rcv_nxt;
	uint32_t rcv_adv;
	uint32_t rcv_wnd;
	uint32_t rcv_up;
	uint32_t snd_wnd;
	uint32_t snd_cwnd;
	uint32_t snd_ssthresh;
	uint32_t snd_recover;
	uint32_t snd_fack;
	uint32_t sack_newdata;
	uint32_t last_ack_sent;
	u_int t_rcvtime;
	u_int t_rtttime;
	uint32_t t_rtseq;
	int t_rxtcur;
	u_int t_maxseg;
	int t_srtt;
	int t_rttvar;
	int t_rxtshift;
	int t_dupacks;
	u_char snd_scale;
	u_char rcv_scale;
	uint32_t ts_recent;
	uint64_t t_sndbytes;
	uint64_t t_snd_rxmitbytes;
};

/* Headers as they travel (network byte order). */
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

struct udphdr {
	u_short uh_sport;
	u_short uh_dport;
	u_short uh_ulen;
	u_short uh_sum;
};
