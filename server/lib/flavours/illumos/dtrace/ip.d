/*
 * ip.d -- the illumos IP stack structures the ip, tcp and udp providers
 * pass (mblk_t packets, conn_t and ip_xmit_attr_t connections, ill_t
 * interfaces, ipha_t and ip6_t headers) and what they translate to:
 * pktinfo_t, csinfo_t, ipinfo_t, ifinfo_t, ipv4info_t and ipv6info_t;
 * the IPPROTO_ numbers and the protocols[] names.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos (inet/ip.h, inet/ipclassifier.h, netinet/ip6.h).
 * Kernel members are a subset, offsets are ours.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

struct in6_addr {
	union {
		uint8_t _S6_u8[16];
		uint32_t _S6_u32[4];
		uint32_t __S6_align;
	} _S6_un;
};

typedef struct in6_addr in6_addr_t;

typedef struct ipha_s {
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

struct ip6_hdrctl {
	uint32_t ip6_un1_flow;
	uint16_t ip6_un1_plen;
	uint8_t ip6_un1_nxt;
	uint8_t ip6_un1_hlim;
};

typedef struct ip6_hdr {
	union {
		struct ip6_hdrctl ip6_un1;
		uint8_t ip6_un2_vfc;
	} ip6_ctlun;
	in6_addr_t ip6_src;
	in6_addr_t ip6_dst;
} ip6_t;

/* The bytes of an IPv4 or IPv6 header, as the probes pass them. */
typedef uint8_t void_ip_t;

typedef struct ill_s {
	char *ill_name;
	uint_t ill_name_length;
	uint_t ill_ifindex;
	uint_t ill_mtu;
	boolean_t ill_isv6;
} ill_t;

typedef ill_t __dtrace_ipsr_ill_t;

typedef struct conn_s {
	uint_t conn_ref;
	uint_t conn_flags;
	zoneid_t conn_zoneid;
	pid_t conn_cpid;
	uint8_t conn_proto;
	ushort_t conn_ipversion;
	in_port_t conn_lport;
	in_port_t conn_fport;
	in6_addr_t conn_laddr_v6;
	in6_addr_t conn_faddr_v6;
	cred_t *conn_cred;
	void *conn_proto_priv;
} conn_t;

typedef struct ip_xmit_attr_s {
	uint64_t ixa_conn_id;
	zoneid_t ixa_zoneid;
	pid_t ixa_cpid;
	uint_t ixa_flags;
	uint_t ixa_pktlen;
	uint_t ixa_ip_hdr_length;
} ip_xmit_attr_t;

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
	ip6_t *ipv6_hdr;
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
    proto == IPPROTO_RAW ? "RAW" : "<unknown>";
#pragma D binding "1.5" protocols

/* Packets carry their mblk_t address as the id. */
translator pktinfo_t < mblk_t *M > {
	pkt_addr = (uintptr_t)M;
};

translator csinfo_t < conn_t *C > {
	cs_addr = (uintptr_t)C;
	cs_cid = (uint64_t)C;
	cs_pid = C == NULL ? -1 : C->conn_cpid;
	cs_zoneid = C == NULL ? -1 : C->conn_zoneid;
};

translator csinfo_t < ip_xmit_attr_t *X > {
	cs_addr = (uintptr_t)X;
	cs_cid = X == NULL ? 0 : X->ixa_conn_id;
	cs_pid = X == NULL ? -1 : X->ixa_cpid;
	cs_zoneid = X == NULL ? -1 : X->ixa_zoneid;
};

/* The version nibble says which header the bytes hold. */
translator ipinfo_t < void_ip_t *B > {
	ip_ver = B == NULL ? 0 : *B >> 4;
	ip_plength = B == NULL ? 0 : *B >> 4 == 4 ?
	    ntohs(((ipha_t *)B)->ipha_length) - (*B & 0xf) * 4 :
	    ntohs(((ip6_t *)B)->ip6_ctlun.ip6_un1.ip6_un1_plen);
	ip_saddr = B == NULL ? "<none>" : *B >> 4 == 4 ?
	    inet_ntoa(&((ipha_t *)B)->ipha_src) :
	    inet_ntoa6(&((ip6_t *)B)->ip6_src);
	ip_daddr = B == NULL ? "<none>" : *B >> 4 == 4 ?
	    inet_ntoa(&((ipha_t *)B)->ipha_dst) :
	    inet_ntoa6(&((ip6_t *)B)->ip6_dst);
};

translator ifinfo_t < __dtrace_ipsr_ill_t *I > {
	if_name = I == NULL ? "<null>" : stringof(I->ill_name);
	if_local = I == NULL;
	if_addr = (uintptr_t)I;
};

translator ipv4info_t < ipha_t *H > {
	ipv4_ver = H == NULL ? 0 : H->ipha_version_and_hdr_length >> 4;
	ipv4_ihl = H == NULL ? 0 : (H->ipha_version_and_hdr_length & 0xf) * 4;
	ipv4_tos = H == NULL ? 0 : H->ipha_type_of_service;
	ipv4_length = H == NULL ? 0 : ntohs(H->ipha_length);
	ipv4_ident = H == NULL ? 0 : ntohs(H->ipha_ident);
	ipv4_flags = H == NULL ? 0 :
	    ntohs(H->ipha_fragment_offset_and_flags) >> 8 & 0xe0;
	ipv4_offset = H == NULL ? 0 :
	    ntohs(H->ipha_fragment_offset_and_flags) & 0x1fff;
	ipv4_ttl = H == NULL ? 0 : H->ipha_ttl;
	ipv4_protocol = H == NULL ? 0 : H->ipha_protocol;
	ipv4_protostr = H == NULL ? "<null>" : protocols[H->ipha_protocol];
	ipv4_checksum = H == NULL ? 0 : ntohs(H->ipha_hdr_checksum);
	ipv4_src = H == NULL ? 0 : ntohl(H->ipha_src);
	ipv4_dst = H == NULL ? 0 : ntohl(H->ipha_dst);
	ipv4_saddr = H == NULL ? "<null>" : inet_ntoa(&H->ipha_src);
	ipv4_daddr = H == NULL ? "<null>" : inet_ntoa(&H->ipha_dst);
	ipv4_hdr = H;
};

translator ipv6info_t < ip6_t *H > {
	ipv6_ver = H == NULL ? 0 : ntohl(H->ip6_ctlun.ip6_un1.ip6_un1_flow) >> 28;
	ipv6_tclass = H == NULL ? 0 :
	    (ntohl(H->ip6_ctlun.ip6_un1.ip6_un1_flow) >> 20) & 0xff;
	ipv6_flow = H == NULL ? 0 :
	    ntohl(H->ip6_ctlun.ip6_un1.ip6_un1_flow) & 0xfffff;
	ipv6_plen = H == NULL ? 0 : ntohs(H->ip6_ctlun.ip6_un1.ip6_un1_plen);
	ipv6_nexthdr = H == NULL ? 0 : H->ip6_ctlun.ip6_un1.ip6_un1_nxt;
	ipv6_nextstr = H == NULL ? "<null>" :
	    protocols[H->ip6_ctlun.ip6_un1.ip6_un1_nxt];
	ipv6_hlim = H == NULL ? 0 : H->ip6_ctlun.ip6_un1.ip6_un1_hlim;
	ipv6_src = H == NULL ? NULL : &H->ip6_src;
	ipv6_dst = H == NULL ? NULL : &H->ip6_dst;
	ipv6_saddr = H == NULL ? "<null>" : inet_ntoa6(&H->ip6_src);
	ipv6_daddr = H == NULL ? "<null>" : inet_ntoa6(&H->ip6_dst);
	ipv6_hdr = H;
};
