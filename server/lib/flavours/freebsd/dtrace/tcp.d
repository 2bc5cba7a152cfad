/*
 * tcp.d -- what the tcp provider's arguments translate to: tcpsinfo_t
 * (the connection), tcplsinfo_t (its previous state), tcpinfo_t (the
 * segment's header); the TCPS_ states with tcp_state_string[], and the
 * TH_ header flags.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD. The state numbers are FreeBSD's (netinet/tcp_fsm.h:
 * CLOSED 0 ... TIME_WAIT 10), which differ from illumos's (negative
 * CLOSED and BOUND). The translators read FreeBSD 14's tcpcb, which
 * embeds the inpcb. tcpinfoh_t is the header as tcp_input leaves it,
 * with the sequence numbers, window and urgent pointer already in host
 * order. The TA_, PRU_ and string tables serve the debug-* probes.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d
#pragma D depends_on library netinet.d
#pragma D depends_on library ip.d

inline int TCPS_CLOSED = 0;
#pragma D binding "1.6.3" TCPS_CLOSED
inline int TCPS_LISTEN = 1;
#pragma D binding "1.6.3" TCPS_LISTEN
inline int TCPS_SYN_SENT = 2;
#pragma D binding "1.6.3" TCPS_SYN_SENT
inline int TCPS_SYN_RECEIVED = 3;
#pragma D binding "1.6.3" TCPS_SYN_RECEIVED
inline int TCPS_ESTABLISHED = 4;
#pragma D binding "1.6.3" TCPS_ESTABLISHED
inline int TCPS_CLOSE_WAIT = 5;
#pragma D binding "1.6.3" TCPS_CLOSE_WAIT
inline int TCPS_FIN_WAIT_1 = 6;
#pragma D binding "1.6.3" TCPS_FIN_WAIT_1
inline int TCPS_CLOSING = 7;
#pragma D binding "1.6.3" TCPS_CLOSING
inline int TCPS_LAST_ACK = 8;
#pragma D binding "1.6.3" TCPS_LAST_ACK
inline int TCPS_FIN_WAIT_2 = 9;
#pragma D binding "1.6.3" TCPS_FIN_WAIT_2
inline int TCPS_TIME_WAIT = 10;
#pragma D binding "1.6.3" TCPS_TIME_WAIT

inline uint8_t TH_FIN = 0x01;
#pragma D binding "1.6.3" TH_FIN
inline uint8_t TH_SYN = 0x02;
#pragma D binding "1.6.3" TH_SYN
inline uint8_t TH_RST = 0x04;
#pragma D binding "1.6.3" TH_RST
inline uint8_t TH_PUSH = 0x08;
#pragma D binding "1.6.3" TH_PUSH
inline uint8_t TH_ACK = 0x10;
#pragma D binding "1.6.3" TH_ACK
inline uint8_t TH_URG = 0x20;
#pragma D binding "1.6.3" TH_URG
inline uint8_t TH_ECE = 0x40;
#pragma D binding "1.6.3" TH_ECE
inline uint8_t TH_CWR = 0x80;
#pragma D binding "1.6.3" TH_CWR

/* A state's name as the provider's probes spell it. */
inline string tcp_state_string[int32_t state] =
    state == TCPS_CLOSED ? "state-closed" :
    state == TCPS_LISTEN ? "state-listen" :
    state == TCPS_SYN_SENT ? "state-syn-sent" :
    state == TCPS_SYN_RECEIVED ? "state-syn-received" :
    state == TCPS_ESTABLISHED ? "state-established" :
    state == TCPS_CLOSE_WAIT ? "state-close-wait" :
    state == TCPS_FIN_WAIT_1 ? "state-fin-wait-1" :
    state == TCPS_CLOSING ? "state-closing" :
    state == TCPS_LAST_ACK ? "state-last-ack" :
    state == TCPS_FIN_WAIT_2 ? "state-fin-wait-2" :
    state == TCPS_TIME_WAIT ? "state-time-wait" : "<unknown>";
#pragma D binding "1.6.3" tcp_state_string

typedef struct tcpsinfo {
	uintptr_t tcps_addr;
	int tcps_local;
	int tcps_active;
	uint16_t tcps_lport;
	uint16_t tcps_rport;
	string tcps_laddr;
	string tcps_raddr;
	int32_t tcps_state;
	uint32_t tcps_iss;
	uint32_t tcps_irs;
	uint32_t tcps_suna;
	uint32_t tcps_smax;
	uint32_t tcps_snxt;
	uint32_t tcps_rack;
	uint32_t tcps_rnxt;
	u_long tcps_swnd;
	int32_t tcps_snd_ws;
	uint32_t tcps_swl1;
	uint32_t tcps_swl2;
	uint32_t tcps_rup;
	uint32_t tcps_radv;
	u_long tcps_rwnd;
	int32_t tcps_rcv_ws;
	u_long tcps_cwnd;
	u_long tcps_cwnd_ssthresh;
	uint32_t tcps_srecover;
	uint32_t tcps_sack_fack;
	uint32_t tcps_sack_snxt;
	uint32_t tcps_rto;
	uint32_t tcps_mss;
	int tcps_retransmit;
	int tcps_srtt;
	int tcps_debug;
	int32_t tcps_dupacks;
	uint32_t tcps_rtttime;
	uint32_t tcps_rtseq;
	uint32_t tcps_ts_recent;
} tcpsinfo_t;

typedef struct tcplsinfo {
	int32_t tcps_state;
} tcplsinfo_t;

typedef struct tcpinfo {
	uint16_t tcp_sport;
	uint16_t tcp_dport;
	uint32_t tcp_seq;
	uint32_t tcp_ack;
	uint8_t tcp_offset;
	uint8_t tcp_flags;
	uint16_t tcp_window;
	uint16_t tcp_checksum;
	uint16_t tcp_urgent;
	struct tcphdr *tcp_hdr;
} tcpinfo_t;

typedef struct tcpinfoh {
	uint16_t tcp_sport;
	uint16_t tcp_dport;
	uint32_t tcp_seq;
	uint32_t tcp_ack;
	uint8_t tcp_offset;
	uint8_t tcp_flags;
	uint16_t tcp_window;
	uint16_t tcp_checksum;
	uint16_t tcp_urgent;
	struct tcphdr *tcp_hdr;
} tcpinfoh_t;

/* A connection is named by its inpcb, which the tcpcb embeds. */
#pragma D binding "1.6.3" translator
translator csinfo_t < struct tcpcb *T > {
	cs_addr = NULL;
	cs_cid = T == NULL ? 0 : (uint64_t)&T->t_inpcb;
	cs_pid = 0;
	cs_zoneid = 0;
};

/*
 * Ports and sequence numbers; addresses as text for either family. FreeBSD
 * does not record whether the connection is local or was opened here
 * (-1), and keeps the retransmit timer in ticks (tcps_rto is in ms).
 */
#pragma D binding "1.6.3" translator
translator tcpsinfo_t < struct tcpcb *T > {
	tcps_addr = (uintptr_t)T;
	tcps_local = -1;
	tcps_active = -1;
	tcps_lport = T == NULL ? 0 : ntohs(T->t_inpcb.inp_inc.inc_ie.ie_lport);
	tcps_rport = T == NULL ? 0 : ntohs(T->t_inpcb.inp_inc.inc_ie.ie_fport);
	tcps_laddr = T == NULL ? "<none>" :
	    T->t_inpcb.inp_vflag & INP_IPV4 ? inet_ntoa((ipaddr_t *)
	    &T->t_inpcb.inp_inc.inc_ie.ie_dependladdr.id46_addr.ia46_addr4.s_addr) :
	    inet_ntoa6(&T->t_inpcb.inp_inc.inc_ie.ie_dependladdr.id6_addr);
	tcps_raddr = T == NULL ? "<none>" :
	    T->t_inpcb.inp_vflag & INP_IPV4 ? inet_ntoa((ipaddr_t *)
	    &T->t_inpcb.inp_inc.inc_ie.ie_dependfaddr.id46_addr.ia46_addr4.s_addr) :
	    inet_ntoa6(&T->t_inpcb.inp_inc.inc_ie.ie_dependfaddr.id6_addr);
	tcps_state = T == NULL ? -1 : T->t_state;
	tcps_iss = T == NULL ? 0 : T->iss;
	tcps_irs = T == NULL ? 0 : T->irs;
	tcps_suna = T == NULL ? 0 : T->snd_una;
	tcps_smax = T == NULL ? 0 : T->snd_max;
	tcps_snxt = T == NULL ? 0 : T->snd_nxt;
	tcps_rack = T == NULL ? 0 : T->last_ack_sent;
	tcps_rnxt = T == NULL ? 0 : T->rcv_nxt;
	tcps_swnd = T == NULL ? -1 : T->snd_wnd;
	tcps_snd_ws = T == NULL ? -1 : T->snd_scale;
	tcps_swl1 = T == NULL ? -1 : T->snd_wl1;
	tcps_swl2 = T == NULL ? -1 : T->snd_wl2;
	tcps_rup = T == NULL ? -1 : T->rcv_up;
	tcps_radv = T == NULL ? -1 : T->rcv_adv;
	tcps_rwnd = T == NULL ? -1 : T->rcv_wnd;
	tcps_rcv_ws = T == NULL ? -1 : T->rcv_scale;
	tcps_cwnd = T == NULL ? -1 : T->snd_cwnd;
	tcps_cwnd_ssthresh = T == NULL ? -1 : T->snd_ssthresh;
	tcps_srecover = T == NULL ? -1 : T->snd_recover;
	tcps_sack_fack = T == NULL ? 0 : T->snd_fack;
	tcps_sack_snxt = T == NULL ? 0 : T->sack_newdata;
	tcps_rto = T == NULL ? -1 : T->t_rxtcur * 1000 / `hz;
	tcps_mss = T == NULL ? -1 : T->t_maxseg;
	tcps_retransmit = T == NULL ? -1 : T->t_rxtshift > 0;
	tcps_srtt = T == NULL ? -1 : T->t_srtt;
	tcps_debug = T == NULL || T->t_inpcb.inp_socket == NULL ? 0 :
	    T->t_inpcb.inp_socket->so_options & 0x1;
	tcps_dupacks = T == NULL ? -1 : T->t_dupacks;
	tcps_rtttime = T == NULL ? -1 : T->t_rtttime;
	tcps_rtseq = T == NULL ? -1 : T->t_rtseq;
	tcps_ts_recent = T == NULL ? -1 : T->ts_recent;
};

/* The data offset counts 32-bit words; tcp_offset is in bytes. */
#pragma D binding "1.6.3" translator
translator tcpinfo_t < struct tcphdr *H > {
	tcp_sport = H == NULL ? 0 : ntohs(H->th_sport);
	tcp_dport = H == NULL ? 0 : ntohs(H->th_dport);
	tcp_seq = H == NULL ? -1 : ntohl(H->th_seq);
	tcp_ack = H == NULL ? -1 : ntohl(H->th_ack);
	tcp_offset = H == NULL ? -1 : H->th_off * 4;
	tcp_flags = H == NULL ? 0 : H->th_flags;
	tcp_window = H == NULL ? 0 : ntohs(H->th_win);
	tcp_checksum = H == NULL ? 0 : ntohs(H->th_sum);
	tcp_urgent = H == NULL ? 0 : ntohs(H->th_urp);
	tcp_hdr = H;
};

#pragma D binding "1.6.3" translator
translator tcpinfoh_t < struct tcphdr *H > {
	tcp_sport = H == NULL ? 0 : ntohs(H->th_sport);
	tcp_dport = H == NULL ? 0 : ntohs(H->th_dport);
	tcp_seq = H == NULL ? -1 : H->th_seq;
	tcp_ack = H == NULL ? -1 : H->th_ack;
	tcp_offset = H == NULL ? -1 : H->th_off * 4;
	tcp_flags = H == NULL ? 0 : H->th_flags;
	tcp_window = H == NULL ? 0 : H->th_win;
	tcp_checksum = H == NULL ? 0 : ntohs(H->th_sum);
	tcp_urgent = H == NULL ? 0 : H->th_urp;
	tcp_hdr = H;
};

/* state-change passes the previous state as a plain int. */
#pragma D binding "1.6.3" translator
translator tcplsinfo_t < int S > {
	tcps_state = S;
};

/* TCP debugging (tcp:::debug-*): where the event came from. */
inline int TA_INPUT = 0;
#pragma D binding "1.12.1" TA_INPUT
inline int TA_OUTPUT = 1;
#pragma D binding "1.12.1" TA_OUTPUT
inline int TA_USER = 2;
#pragma D binding "1.12.1" TA_USER
inline int TA_RESPOND = 3;
#pragma D binding "1.12.1" TA_RESPOND
inline int TA_DROP = 4;
#pragma D binding "1.12.1" TA_DROP

inline string tcpdebug_dir_string[uint8_t direction] =
    direction == TA_INPUT ? "input" :
    direction == TA_OUTPUT ? "output" :
    direction == TA_USER ? "user" :
    direction == TA_RESPOND ? "respond" :
    direction == TA_DROP ? "drop" : "unknown";
#pragma D binding "1.12.1" tcpdebug_dir_string

/* The first flag set, by name. */
inline string tcpflag_string[uint8_t flags] =
    flags & TH_FIN ? "FIN" :
    flags & TH_SYN ? "SYN" :
    flags & TH_RST ? "RST" :
    flags & TH_PUSH ? "PUSH" :
    flags & TH_ACK ? "ACK" :
    flags & TH_URG ? "URG" :
    flags & TH_ECE ? "ECE" :
    flags & TH_CWR ? "CWR" : "unknown";
#pragma D binding "1.12.1" tcpflag_string

/* User requests (tcp:::debug-user's second argument). */
inline int PRU_ATTACH = 0;
#pragma D binding "1.12.1" PRU_ATTACH
inline int PRU_DETACH = 1;
#pragma D binding "1.12.1" PRU_DETACH
inline int PRU_BIND = 2;
#pragma D binding "1.12.1" PRU_BIND
inline int PRU_LISTEN = 3;
#pragma D binding "1.12.1" PRU_LISTEN
inline int PRU_CONNECT = 4;
#pragma D binding "1.12.1" PRU_CONNECT
inline int PRU_ACCEPT = 5;
#pragma D binding "1.12.1" PRU_ACCEPT
inline int PRU_DISCONNECT = 6;
#pragma D binding "1.12.1" PRU_DISCONNECT
inline int PRU_SHUTDOWN = 7;
#pragma D binding "1.12.1" PRU_SHUTDOWN
inline int PRU_RCVD = 8;
#pragma D binding "1.12.1" PRU_RCVD
inline int PRU_SEND = 9;
#pragma D binding "1.12.1" PRU_SEND
inline int PRU_ABORT = 10;
#pragma D binding "1.12.1" PRU_ABORT
inline int PRU_CONTROL = 11;
#pragma D binding "1.12.1" PRU_CONTROL
inline int PRU_SENSE = 12;
#pragma D binding "1.12.1" PRU_SENSE
inline int PRU_RCVOOB = 13;
#pragma D binding "1.12.1" PRU_RCVOOB
inline int PRU_SENDOOB = 14;
#pragma D binding "1.12.1" PRU_SENDOOB
inline int PRU_SOCKADDR = 15;
#pragma D binding "1.12.1" PRU_SOCKADDR
inline int PRU_PEERADDR = 16;
#pragma D binding "1.12.1" PRU_PEERADDR
inline int PRU_CONNECT2 = 17;
#pragma D binding "1.12.1" PRU_CONNECT2
inline int PRU_FASTTIMO = 18;
#pragma D binding "1.12.1" PRU_FASTTIMO
inline int PRU_SLOWTIMO = 19;
#pragma D binding "1.12.1" PRU_SLOWTIMO
inline int PRU_PROTORCV = 20;
#pragma D binding "1.12.1" PRU_PROTORCV
inline int PRU_PROTOSEND = 21;
#pragma D binding "1.12.1" PRU_PROTOSEND
inline int PRU_SEND_EOF = 22;
#pragma D binding "1.12.1" PRU_SEND_EOF
inline int PRU_SOSETLABEL = 23;
#pragma D binding "1.12.1" PRU_SOSETLABEL
inline int PRU_CLOSE = 24;
#pragma D binding "1.12.1" PRU_CLOSE
inline int PRU_FLUSH = 25;
#pragma D binding "1.12.1" PRU_FLUSH

inline string prureq_string[uint8_t req] =
    req == PRU_ATTACH ? "ATTACH" :
    req == PRU_DETACH ? "DETACH" :
    req == PRU_BIND ? "BIND" :
    req == PRU_LISTEN ? "LISTEN" :
    req == PRU_CONNECT ? "CONNECT" :
    req == PRU_ACCEPT ? "ACCEPT" :
    req == PRU_DISCONNECT ? "DISCONNECT" :
    req == PRU_SHUTDOWN ? "SHUTDOWN" :
    req == PRU_RCVD ? "RCVD" :
    req == PRU_SEND ? "SEND" :
    req == PRU_ABORT ? "ABORT" :
    req == PRU_CONTROL ? "CONTROL" :
    req == PRU_SENSE ? "SENSE" :
    req == PRU_RCVOOB ? "RCVOOB" :
    req == PRU_SENDOOB ? "SENDOOB" :
    req == PRU_SOCKADDR ? "SOCKADDR" :
    req == PRU_PEERADDR ? "PEERADDR" :
    req == PRU_CONNECT2 ? "CONNECT2" :
    req == PRU_FASTTIMO ? "FASTTIMO" :
    req == PRU_SLOWTIMO ? "SLOWTIMO" :
    req == PRU_PROTORCV ? "PROTORCV" :
    req == PRU_PROTOSEND ? "PROTOSEND" :
    req == PRU_SEND_EOF ? "SEND_EOF" :
    req == PRU_SOSETLABEL ? "SOSETLABEL" :
    req == PRU_CLOSE ? "CLOSE" :
    req == PRU_FLUSH ? "FLUSH" : "unknown";
#pragma D binding "1.12.1" prureq_string
