/*
 * udp.d -- the illumos UDP structures the udp provider passes (udp_t,
 * udpha_t) and what they translate to: udpsinfo_t (the socket's
 * endpoints) and udpinfo_t (the datagram's header).
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos (inet/udp_impl.h, netinet/udp.h).
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d
#pragma D depends_on library ip.d

typedef struct udpha_s {
	uint16_t uha_src_port;
	uint16_t uha_dst_port;
	uint16_t uha_length;
	uint16_t uha_checksum;
} udpha_t;

typedef struct udp_s {
	uint32_t udp_state;
	conn_t *udp_connp;
} udp_t;

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
	udpha_t *udp_hdr;
} udpinfo_t;

translator udpsinfo_t < udp_t *U > {
	udps_addr = (uintptr_t)U;
	udps_lport = ntohs(U->udp_connp->conn_lport);
	udps_rport = ntohs(U->udp_connp->conn_fport);
	udps_laddr = inet_ntoa6(&U->udp_connp->conn_laddr_v6);
	udps_raddr = inet_ntoa6(&U->udp_connp->conn_faddr_v6);
};

translator udpinfo_t < udpha_t *H > {
	udp_sport = H == NULL ? 0 : ntohs(H->uha_src_port);
	udp_dport = H == NULL ? 0 : ntohs(H->uha_dst_port);
	udp_length = H == NULL ? 0 : ntohs(H->uha_length);
	udp_checksum = H == NULL ? 0 : ntohs(H->uha_checksum);
	udp_hdr = H;
};
