/*
 * sctp.d -- what the sctp provider's arguments translate to: sctpsinfo_t
 * (the association), sctplsinfo_t (its previous state), sctpinfo_t (the
 * packet's common header); the SCTP_STATE_ values and
 * sctp_state_string[].
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD (netinet/sctp_pcb.h, netinet/sctp_header.h,
 * netinet/sctp_constants.h). An association may have several addresses
 * on each side; the translator gives their counts and, as text, none
 * ("<multiple>"), as the kernel keeps them in lists.
 */

#pragma D depends_on library types.d
#pragma D depends_on library netinet.d
#pragma D depends_on library ip.d

struct sctphdr {
	uint16_t src_port;
	uint16_t dest_port;
	uint32_t v_tag;
	uint32_t checksum;
};

struct sctp_association {
	int state;
	uint32_t my_vtag;
	uint32_t peer_vtag;
	int numnets;
	uint32_t my_rwnd;
	uint32_t peers_rwnd;
};

struct sctp_inpcb {
	union {
		struct inpcb inp;
		char align[256];
	} ip_inp;
	int laddr_count;
};

struct sctp_tcb {
	struct socket *sctp_socket;
	struct sctp_inpcb *sctp_ep;
	struct sctp_association asoc;
	uint16_t rport;
};

inline int32_t SCTP_STATE_EMPTY = 0x0000;
inline int32_t SCTP_STATE_INUSE = 0x0001;
inline int32_t SCTP_STATE_COOKIE_WAIT = 0x0002;
inline int32_t SCTP_STATE_COOKIE_ECHOED = 0x0004;
inline int32_t SCTP_STATE_OPEN = 0x0008;
inline int32_t SCTP_STATE_SHUTDOWN_SENT = 0x0010;
inline int32_t SCTP_STATE_SHUTDOWN_RECEIVED = 0x0020;
inline int32_t SCTP_STATE_SHUTDOWN_ACK_SENT = 0x0040;
inline int32_t SCTP_STATE_SHUTDOWN_PENDING = 0x0080;
inline int32_t SCTP_STATE_CLOSED_SOCKET = 0x0100;
inline int32_t SCTP_STATE_ABOUT_TO_BE_FREED = 0x0200;
inline int32_t SCTP_STATE_PARTIAL_MSG_LEFT = 0x0400;
inline int32_t SCTP_STATE_WAS_ABORTED = 0x0800;
inline int32_t SCTP_STATE_IN_ACCEPT_QUEUE = 0x1000;
inline int32_t SCTP_STATE_MASK = 0x007f;
inline int32_t SCTP_STATE_BOUND = 0x1000;
inline int32_t SCTP_STATE_LISTEN = 0x2000;
inline int32_t SCTP_STATE_CLOSED = 0x0000;

/* The state's name; only the bits under SCTP_STATE_MASK are a state. */
inline string sctp_state_string[int32_t state] =
    (state & SCTP_STATE_MASK) == SCTP_STATE_EMPTY ? "state-empty" :
    (state & SCTP_STATE_MASK) == SCTP_STATE_INUSE ? "state-inuse" :
    (state & SCTP_STATE_MASK) == SCTP_STATE_COOKIE_WAIT ?
    "state-cookie-wait" :
    (state & SCTP_STATE_MASK) == SCTP_STATE_COOKIE_ECHOED ?
    "state-cookie-echoed" :
    (state & SCTP_STATE_MASK) == SCTP_STATE_OPEN ? "state-open" :
    (state & SCTP_STATE_MASK) == SCTP_STATE_SHUTDOWN_SENT ?
    "state-shutdown-sent" :
    (state & SCTP_STATE_MASK) == SCTP_STATE_SHUTDOWN_RECEIVED ?
    "state-shutdown-received" :
    (state & SCTP_STATE_MASK) == SCTP_STATE_SHUTDOWN_ACK_SENT ?
    "state-shutdown-ack-sent" : "<unknown>";

typedef struct sctpsinfo {
	uintptr_t sctps_addr;
	int sctps_num_raddrs;
	uintptr_t sctps_raddrs;
	int sctps_num_laddrs;
	uintptr_t sctps_laddrs;
	uint16_t sctps_lport;
	uint16_t sctps_rport;
	string sctps_laddr;
	string sctps_raddr;
	int32_t sctps_state;
} sctpsinfo_t;

typedef struct sctplsinfo {
	int32_t sctps_state;
} sctplsinfo_t;

typedef struct sctpinfo {
	uint16_t sctp_sport;
	uint16_t sctp_dport;
	uint32_t sctp_verify;
	uint32_t sctp_checksum;
	struct sctphdr *sctp_hdr;
} sctpinfo_t;

translator csinfo_t < struct sctp_tcb *T > {
	cs_addr = NULL;
	cs_cid = (uint64_t)T;
	cs_pid = 0;
	cs_zoneid = 0;
};

translator sctpsinfo_t < struct sctp_tcb *T > {
	sctps_addr = (uintptr_t)T;
	sctps_num_raddrs = T == NULL ? -1 : T->asoc.numnets;
	sctps_raddrs = NULL;
	sctps_num_laddrs = T == NULL ? -1 : T->sctp_ep->laddr_count;
	sctps_laddrs = NULL;
	sctps_lport = T == NULL ? 0 :
	    ntohs(T->sctp_ep->ip_inp.inp.inp_inc.inc_ie.ie_lport);
	sctps_rport = T == NULL ? 0 : ntohs(T->rport);
	sctps_laddr = "<multiple>";
	sctps_raddr = "<multiple>";
	sctps_state = T == NULL ? -1 : T->asoc.state;
};

translator sctpinfo_t < struct sctphdr *H > {
	sctp_sport = H == NULL ? 0 : ntohs(H->src_port);
	sctp_dport = H == NULL ? 0 : ntohs(H->dest_port);
	sctp_verify = H == NULL ? 0 : ntohl(H->v_tag);
	sctp_checksum = H == NULL ? 0 : ntohl(H->checksum);
	sctp_hdr = H;
};

translator sctplsinfo_t < int S > {
	sctps_state = S;
};
