/*
 * udp.d -- what the udp and udplite providers' arguments translate to:
 * udpsinfo_t and udplitesinfo_t (the socket's endpoints), udpinfo_t and
 * udpliteinfo_t (the datagram's header).
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD: the endpoints come from the socket's inpcb, the
 * header from struct udphdr (netinet.d).
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d
#pragma D depends_on library netinet.d
#pragma D depends_on library ip.d

typedef struct udpsinfo {
	uintptr_t udps_addr;
	uint16_t udps_lport;
	uint16_t udps_rport;
	string udps_laddr;
	string udps_raddr;
} udpsinfo_t;

typedef struct udpinfo {
	uint16_t udp_sport;
	uint16_t udp_dport;
	uint16_t udp_length;
	uint16_t udp_checksum;
	struct udphdr *udp_hdr;
} udpinfo_t;

#pragma D binding "1.6.3" translator
translator udpsinfo_t < struct inpcb *P > {
	udps_addr = (uintptr_t)P;
	udps_lport = P == NULL ? 0 : ntohs(P->inp_inc.inc_ie.ie_lport);
	udps_rport = P == NULL ? 0 : ntohs(P->inp_inc.inc_ie.ie_fport);
	udps_laddr = P == NULL ? "<none>" :
	    P->inp_vflag & INP_IPV4 ? inet_ntoa((ipaddr_t *)
	    &P->inp_inc.inc_ie.ie_dependladdr.id46_addr.ia46_addr4.s_addr) :
	    inet_ntoa6(&P->inp_inc.inc_ie.ie_dependladdr.id6_addr);
	udps_raddr = P == NULL ? "<none>" :
	    P->inp_vflag & INP_IPV4 ? inet_ntoa((ipaddr_t *)
	    &P->inp_inc.inc_ie.ie_dependfaddr.id46_addr.ia46_addr4.s_addr) :
	    inet_ntoa6(&P->inp_inc.inc_ie.ie_dependfaddr.id6_addr);
};

#pragma D binding "1.6.3" translator
translator udpinfo_t < struct udphdr *H > {
	udp_sport = H == NULL ? 0 : ntohs(H->uh_sport);
	udp_dport = H == NULL ? 0 : ntohs(H->uh_dport);
	udp_length = H == NULL ? 0 : ntohs(H->uh_ulen);
	udp_checksum = H == NULL ? 0 : ntohs(H->uh_sum);
	udp_hdr = H;
};

/* UDP-Lite (RFC 3828): the length field is the checksum coverage. */
typedef struct udplitesinfo {
	uintptr_t udplites_addr;
	uint16_t udplites_lport;
	uint16_t udplites_rport;
	string udplites_laddr;
	string udplites_raddr;
} udplitesinfo_t;

typedef struct udpliteinfo {
	uint16_t udplite_sport;
	uint16_t udplite_dport;
	uint16_t udplite_coverage;
	uint16_t udplite_checksum;
	struct udphdr *udplite_hdr;
} udpliteinfo_t;

#pragma D binding "1.6.3" translator
translator udplitesinfo_t < struct inpcb *P > {
	udplites_addr = (uintptr_t)P;
	udplites_lport = P == NULL ? 0 : ntohs(P->inp_inc.inc_ie.ie_lport);
	udplites_rport = P == NULL ? 0 : ntohs(P->inp_inc.inc_ie.ie_fport);
	udplites_laddr = P == NULL ? "<none>" :
	    P->inp_vflag & INP_IPV4 ? inet_ntoa((ipaddr_t *)
	    &P->inp_inc.inc_ie.ie_dependladdr.id46_addr.ia46_addr4.s_addr) :
	    inet_ntoa6(&P->inp_inc.inc_ie.ie_dependladdr.id6_addr);
	udplites_raddr = P == NULL ? "<none>" :
	    P->inp_vflag & INP_IPV4 ? inet_ntoa((ipaddr_t *)
	    &P->inp_inc.inc_ie.ie_dependfaddr.id46_addr.ia46_addr4.s_addr) :
	    inet_ntoa6(&P->inp_inc.inc_ie.ie_dependfaddr.id6_addr);
};

#pragma D binding "1.6.3" translator
translator udpliteinfo_t < struct udphdr *H > {
	udplite_sport = H == NULL ? 0 : ntohs(H->uh_sport);
	udplite_dport = H == NULL ? 0 : ntohs(H->uh_dport);
	udplite_coverage = H == NULL ? 0 : ntohs(H->uh_ulen);
	udplite_checksum = H == NULL ? 0 : ntohs(H->uh_sum);
	udplite_hdr = H;
};
