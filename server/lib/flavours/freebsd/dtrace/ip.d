/*
 * ip.d -- what the ip provider's arguments translate to: pktinfo_t,
 * csinfo_t, ipinfo_t, ifinfo_t, ipv4info_t and ipv6info_t; the
 * IPPROTO_ numbers and the protocols[] names.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD. The translated structures are the stable ones every
 * DTrace system shares (member names and types as the ip provider
 * documents them); the translators read FreeBSD's struct ip, ip6_hdr,
 * ifnet and inpcb (netinet.d). Packets carry no id on FreeBSD, so
 * pkt_addr is always NULL, and connections no pid or zone.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d
#pragma D depends_on library netinet.d

typedef uint32_t ipaddr_t;
typedef struct in6_addr in6_addr_t;

/* An IPv4 header in the illumos layout, which ipv4_hdr points to. */
typedef struct ipha {
	uint8_t ipha_version_and_hdr_length;
	uint8_t ipha_type_of_service;
	uint16_t ipha_length;
	uint16_t ipha_ident;
	uint16_t ipha_fragment_offset_and_flags;
	uint8_t ipha_ttl;
	uint8_t ipha_protocol;
	uint16_t ipha_hdr_checksum;
	ipaddr_t ipha_src;
	ipaddr_t ipha_dst;
} ipha_t;

typedef struct pktinfo {
	uintptr_t pkt_addr;
} pktinfo_t;

typedef struct csinfo {
	uintptr_t cs_addr;
	uint64_t cs_cid;
	pid_t cs_pid;
	zoneid_t cs_zoneid;
} csinfo_t;

typedef struct ipinfo {
	uint8_t ip_ver;
	uint32_t ip_plength;
	string ip_saddr;
	string ip_daddr;
} ipinfo_t;

typedef struct ifinfo {
	string if_name;
	int8_t if_local;
	uintptr_t if_addr;
} ifinfo_t;

typedef struct ipv4info {
	uint8_t ipv4_ver;
	uint8_t ipv4_ihl;
	uint8_t ipv4_tos;
	uint16_t ipv4_length;
	uint16_t ipv4_ident;
	uint8_t ipv4_flags;
	uint16_t ipv4_offset;
	uint8_t ipv4_ttl;
	uint8_t ipv4_protocol;
	string ipv4_protostr;
	uint16_t ipv4_checksum;
	ipaddr_t ipv4_src;
	ipaddr_t ipv4_dst;
	string ipv4_saddr;
	string ipv4_daddr;
	ipha_t *ipv4_hdr;
} ipv4info_t;

typedef struct ipv6info {
	uint8_t ipv6_ver;
	uint8_t ipv6_tclass;
	uint32_t ipv6_flow;
	uint16_t ipv6_plen;
	uint8_t ipv6_nexthdr;
	string ipv6_nextstr;
	uint8_t ipv6_hlim;
	in6_addr_t *ipv6_src;
	in6_addr_t *ipv6_dst;
	string ipv6_saddr;
	string ipv6_daddr;
	struct ip6_hdr *ipv6_hdr;
} ipv6info_t;

/* Protocol numbers (the IANA registry, as netinet/in.h has them). */
inline short IPPROTO_IP = 0;
#pragma D binding "1.5" IPPROTO_IP
inline short IPPROTO_ICMP = 1;
#pragma D binding "1.5" IPPROTO_ICMP
inline short IPPROTO_IGMP = 2;
#pragma D binding "1.5" IPPROTO_IGMP
inline short IPPROTO_IPV4 = 4;
#pragma D binding "1.5" IPPROTO_IPV4
inline short IPPROTO_TCP = 6;
#pragma D binding "1.5" IPPROTO_TCP
inline short IPPROTO_UDP = 17;
#pragma D binding "1.5" IPPROTO_UDP
inline short IPPROTO_IPV6 = 41;
#pragma D binding "1.5" IPPROTO_IPV6
inline short IPPROTO_ROUTING = 43;
#pragma D binding "1.5" IPPROTO_ROUTING
inline short IPPROTO_FRAGMENT = 44;
#pragma D binding "1.5" IPPROTO_FRAGMENT
inline short IPPROTO_RSVP = 46;
#pragma D binding "1.5" IPPROTO_RSVP
inline short IPPROTO_GRE = 47;
#pragma D binding "1.5" IPPROTO_GRE
inline short IPPROTO_ESP = 50;
#pragma D binding "1.5" IPPROTO_ESP
inline short IPPROTO_AH = 51;
#pragma D binding "1.5" IPPROTO_AH
inline short IPPROTO_MOBILE = 55;
#pragma D binding "1.5" IPPROTO_MOBILE
inline short IPPROTO_ICMPV6 = 58;
#pragma D binding "1.5" IPPROTO_ICMPV6
inline short IPPROTO_DSTOPTS = 60;
#pragma D binding "1.5" IPPROTO_DSTOPTS
inline short IPPROTO_ETHERIP = 97;
#pragma D binding "1.5" IPPROTO_ETHERIP
inline short IPPROTO_PIM = 103;
#pragma D binding "1.5" IPPROTO_PIM
inline short IPPROTO_IPCOMP = 108;
#pragma D binding "1.5" IPPROTO_IPCOMP
inline short IPPROTO_SCTP = 132;
#pragma D binding "1.5" IPPROTO_SCTP
inline short IPPROTO_UDPLITE = 136;
#pragma D binding "1.5" IPPROTO_UDPLITE
inline short IPPROTO_RAW = 255;
#pragma D binding "1.5" IPPROTO_RAW

/* The interface flag that marks the loopback interface. */
inline int IFF_LOOPBACK = 0x8;
#pragma D binding "1.5" IFF_LOOPBACK

/* A protocol number's name, as ipv4_protostr and ipv6_nextstr give it. */
inline string protocols[int proto] =
    proto == IPPROTO_IP ? "IP" :
    proto == IPPROTO_ICMP ? "ICMP" :
    proto == IPPROTO_IGMP ? "IGMP" :
    proto == IPPROTO_IPV4 ? "IPV4" :
    proto == IPPROTO_TCP ? "TCP" :
    proto == IPPROTO_UDP ? "UDP" :
    proto == IPPROTO_IPV6 ? "IPV6" :
    proto == IPPROTO_ROUTING ? "ROUTING" :
    proto == IPPROTO_FRAGMENT ? "FRAGMENT" :
    proto == IPPROTO_RSVP ? "RSVP" :
    proto == IPPROTO_GRE ? "GRE" :
    proto == IPPROTO_ESP ? "ESP" :
    proto == IPPROTO_AH ? "AH" :
    proto == IPPROTO_MOBILE ? "MOBILE" :
    proto == IPPROTO_ICMPV6 ? "ICMPV6" :
    proto == IPPROTO_DSTOPTS ? "DSTOPTS" :
    proto == IPPROTO_ETHERIP ? "ETHERIP" :
    proto == IPPROTO_PIM ? "PIM" :
    proto == IPPROTO_IPCOMP ? "IPCOMP" :
    proto == IPPROTO_SCTP ? "SCTP" :
    proto == IPPROTO_UDPLITE ? "UDPLITE" :
    proto == IPPROTO_RAW ? "RAW" : "<unknown>";
#pragma D binding "1.5" protocols

/* FreeBSD has no packet ids: the probes pass NULL. */
#pragma D binding "1.5" translator
translator pktinfo_t < void *P > {
	pkt_addr = NULL;
};

/* Probes that know no connection pass a plain pointer as its id. */
#pragma D binding "1.5" translator
translator csinfo_t < void *P > {
	cs_addr = NULL;
	cs_cid = (uint64_t)P;
	cs_pid = 0;
	cs_zoneid = 0;
};

/* A connection is named by the address of its protocol control block. */
#pragma D binding "1.6.3" translator
translator csinfo_t < struct inpcb *P > {
	cs_addr = NULL;
	cs_cid = (uint64_t)P;
	cs_pid = 0;
	cs_zoneid = 0;
};

/*
 * The ip provider passes the header as bytes: the version nibble says
 * which layout follows. The payload length leaves out the IPv4 header
 * (ip_hl counts 32-bit words).
 */
#pragma D binding "1.5" translator
translator ipinfo_t < uint8_t *B > {
	ip_ver = B == NULL ? 0 : ((struct ip *)B)->ip_v;
	ip_plength = B == NULL ? 0 : ((struct ip *)B)->ip_v == 4 ?
	    ntohs(((struct ip *)B)->ip_len) - ((struct ip *)B)->ip_hl * 4 :
	    ntohs(((struct ip6_hdr *)B)->ip6_ctlun.ip6_un1.ip6_un1_plen);
	ip_saddr = B == NULL ? "<none>" : ((struct ip *)B)->ip_v == 4 ?
	    inet_ntoa((ipaddr_t *)&((struct ip *)B)->ip_src.s_addr) :
	    inet_ntoa6(&((struct ip6_hdr *)B)->ip6_src);
	ip_daddr = B == NULL ? "<none>" : ((struct ip *)B)->ip_v == 4 ?
	    inet_ntoa((ipaddr_t *)&((struct ip *)B)->ip_dst.s_addr) :
	    inet_ntoa6(&((struct ip6_hdr *)B)->ip6_dst);
};

/* Receive paths pass the packet: its data starts with the IP header. */
#pragma D binding "1.5" translator
translator ipinfo_t < struct mbuf *M > {
	ip_ver = M == NULL ? 0 : ((struct ip *)M->m_data)->ip_v;
	ip_plength = M == NULL ? 0 : ((struct ip *)M->m_data)->ip_v == 4 ?
	    ntohs(((struct ip *)M->m_data)->ip_len) -
	    ((struct ip *)M->m_data)->ip_hl * 4 :
	    ntohs(((struct ip6_hdr *)M->m_data)->ip6_ctlun.ip6_un1.ip6_un1_plen);
	ip_saddr = M == NULL ? "<none>" : ((struct ip *)M->m_data)->ip_v == 4 ?
	    inet_ntoa((ipaddr_t *)&((struct ip *)M->m_data)->ip_src.s_addr) :
	    inet_ntoa6(&((struct ip6_hdr *)M->m_data)->ip6_src);
	ip_daddr = M == NULL ? "<none>" : ((struct ip *)M->m_data)->ip_v == 4 ?
	    inet_ntoa((ipaddr_t *)&((struct ip *)M->m_data)->ip_dst.s_addr) :
	    inet_ntoa6(&((struct ip6_hdr *)M->m_data)->ip6_dst);
};

#pragma D binding "1.5" translator
translator ifinfo_t < struct ifnet *I > {
	if_name = I == NULL ? "<none>" : stringof(I->if_xname);
	if_local = I == NULL ? 1 : (I->if_flags & IFF_LOOPBACK) ? 1 : 0;
	if_addr = (uintptr_t)I;
};

/* Every member of a missing header reads as zero (or "<none>"). */
#pragma D binding "1.5" translator
translator ipv4info_t < struct ip *H > {
	ipv4_ver = H == NULL ? 0 : H->ip_v;
	ipv4_ihl = H == NULL ? 0 : H->ip_hl * 4;
	ipv4_tos = H == NULL ? 0 : H->ip_tos;
	ipv4_length = H == NULL ? 0 : ntohs(H->ip_len);
	ipv4_ident = H == NULL ? 0 : ntohs(H->ip_id);
	ipv4_flags = H == NULL ? 0 : (ntohs(H->ip_off) & 0xe000) >> 8;
	ipv4_offset = H == NULL ? 0 : ntohs(H->ip_off) & 0x1fff;
	ipv4_ttl = H == NULL ? 0 : H->ip_ttl;
	ipv4_protocol = H == NULL ? 0 : H->ip_p;
	ipv4_protostr = H == NULL ? "<none>" : protocols[H->ip_p];
	ipv4_checksum = H == NULL ? 0 : ntohs(H->ip_sum);
	ipv4_src = H == NULL ? 0 : ntohl(H->ip_src.s_addr);
	ipv4_dst = H == NULL ? 0 : ntohl(H->ip_dst.s_addr);
	ipv4_saddr = H == NULL ? "<none>" :
	    inet_ntoa((ipaddr_t *)&H->ip_src.s_addr);
	ipv4_daddr = H == NULL ? "<none>" :
	    inet_ntoa((ipaddr_t *)&H->ip_dst.s_addr);
	ipv4_hdr = (ipha_t *)H;
};

/* The first 32 bits hold version (4), traffic class (8) and flow (20). */
#pragma D binding "1.5" translator
translator ipv6info_t < struct ip6_hdr *H > {
	ipv6_ver = H == NULL ? 0 :
	    ntohl(H->ip6_ctlun.ip6_un1.ip6_un1_flow) >> 28;
	ipv6_tclass = H == NULL ? 0 :
	    (ntohl(H->ip6_ctlun.ip6_un1.ip6_un1_flow) >> 20) & 0xff;
	ipv6_flow = H == NULL ? 0 :
	    ntohl(H->ip6_ctlun.ip6_un1.ip6_un1_flow) & 0xfffff;
	ipv6_plen = H == NULL ? 0 : ntohs(H->ip6_ctlun.ip6_un1.ip6_un1_plen);
	ipv6_nexthdr = H == NULL ? 0 : H->ip6_ctlun.ip6_un1.ip6_un1_nxt;
	ipv6_nextstr = H == NULL ? "<none>" :
	    protocols[H->ip6_ctlun.ip6_un1.ip6_un1_nxt];
	ipv6_hlim = H == NULL ? 0 : H->ip6_ctlun.ip6_un1.ip6_un1_hlim;
	ipv6_src = H == NULL ? NULL : &H->ip6_src;
	ipv6_dst = H == NULL ? NULL : &H->ip6_dst;
	ipv6_saddr = H == NULL ? "<none>" : inet_ntoa6(&H->ip6_src);
	ipv6_daddr = H == NULL ? "<none>" : inet_ntoa6(&H->ip6_dst);
	ipv6_hdr = H;
};
