/*
 * tcp.d -- the illumos TCP structures the tcp provider passes (tcp_t,
 * tcpha_t) and what they translate to: tcpsinfo_t (the connection),
 * tcplsinfo_t (its previous state) and tcpinfo_t (the segment's
 * header); the TCP_STATE_ values with tcp_state_string[], and the TH_
 * header flags.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos (inet/tcp.h, inet/tcp_impl.h): states run from
 * TCP_STATE_CLOSED (-6) to TCP_STATE_TIME_WAIT (6), ESTABLISHED being 0.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d
#pragma D depends_on library ip.d

inline int32_t TCP_STATE_CLOSED = -6;
#pragma D binding "1.6.3" TCP_STATE_CLOSED
inline int32_t TCP_STATE_IDLE = -5;
#pragma D binding "1.6.3" TCP_STATE_IDLE
inline int32_t TCP_STATE_BOUND = -4;
#pragma D binding "1.6.3" TCP_STATE_BOUND
inline int32_t TCP_STATE_LISTEN = -3;
#pragma D binding "1.6.3" TCP_STATE_LISTEN
inline int32_t TCP_STATE_SYN_SENT = -2;
#pragma D binding "1.6.3" TCP_STATE_SYN_SENT
inline int32_t TCP_STATE_SYN_RCVD = -1;
#pragma D binding "1.6.3" TCP_STATE_SYN_RCVD
inline int32_t TCP_STATE_ESTABLISHED = 0;
#pragma D binding "1.6.3" TCP_STATE_ESTABLISHED
inline int32_t TCP_STATE_CLOSE_WAIT = 1;
#pragma D binding "1.6.3" TCP_STATE_CLOSE_WAIT
inline int32_t TCP_STATE_FIN_WAIT_1 = 2;
#pragma D binding "1.6.3" TCP_STATE_FIN_WAIT_1
inline int32_t TCP_STATE_CLOSING = 3;
#pragma D binding "1.6.3" TCP_STATE_CLOSING
inline int32_t TCP_STATE_LAST_ACK = 4;
#pragma D binding "1.6.3" TCP_STATE_LAST_ACK
inline int32_t TCP_STATE_FIN_WAIT_2 = 5;
#pragma D binding "1.6.3" TCP_STATE_FIN_WAIT_2
inline int32_t TCP_STATE_TIME_WAIT = 6;
#pragma D binding "1.6.3" TCP_STATE_TIME_WAIT

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
    state == TCP_STATE_CLOSED ? "state-closed" :
    state == TCP_STATE_IDLE ? "state-idle" :
    state == TCP_STATE_BOUND ? "state-bound" :
    state == TCP_STATE_LISTEN ? "state-listen" :
    state == TCP_STATE_SYN_SENT ? "state-syn-sent" :
    state == TCP_STATE_SYN_RCVD ? "state-syn-received" :
    state == TCP_STATE_ESTABLISHED ? "state-established" :
    state == TCP_STATE_CLOSE_WAIT ? "state-close-wait" :
    state == TCP_STATE_FIN_WAIT_1 ? "state-fin-wait-1" :
    state == TCP_STATE_CLOSING ? "state-closing" :
    state == TCP_STATE_LAST_ACK ? "state-last-ack" :
    state == TCP_STATE_FIN_WAIT_2 ? "state-fin-wait-2" :
    state == TCP_STATE_TIME_WAIT ? "state-time-wait" :
    "<unknown>";
#pragma D binding "1.6.3" tcp_state_string

typedef struct tcpha_s {
	uint16_t tha_lport;
	uint16_t tha_fport;
	uint32_t tha_seq;
	uint32_t tha_ack;
	uint8_t tha_offset_and_reserved;
	uint8_t tha_flags;
	uint16_t tha_win;
	uint16_t tha_sum;
	uint16_t tha_urp;
} tcpha_t;

typedef tcpha_t __dtrace_tcp_tcph_t;
typedef uint8_t __dtrace_tcp_void_ip_t;

typedef struct tcp_s {
	int32_t tcp_state;
	conn_t *tcp_connp;
	uint32_t tcp_snxt;
	uint32_t tcp_suna;
	uint32_t tcp_swnd;
	uint32_t tcp_cwnd;
	uint32_t tcp_cwnd_ssthresh;
	uint32_t tcp_rnxt;
	uint32_t tcp_rack;
	uint32_t tcp_rwnd;
	uint32_t tcp_iss;
	uint32_t tcp_irs;
	uint32_t tcp_mss;
	uint32_t tcp_rto;
	uint32_t tcp_snd_ws;
	uint32_t tcp_rcv_ws;
	uint32_t tcp_rtt_sa;
	uint32_t tcp_rtt_sd;
	uint32_t tcp_fin_acked;
	uint32_t tcp_active_open;
	uint32_t tcp_loopback;
	uint32_t tcp_rexmit;
	uint32_t tcp_rexmit_nxt;
	uint32_t tcp_cs_sack_fack;
} tcp_t;

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
	uint32_t tcps_snxt;
	uint32_t tcps_rack;
	uint32_t tcps_rnxt;
	uint32_t tcps_swnd;
	int32_t tcps_snd_ws;
	uint32_t tcps_rwnd;
	int32_t tcps_rcv_ws;
	uint32_t tcps_cwnd;
	uint32_t tcps_cwnd_ssthresh;
	uint32_t tcps_sack_fack;
	uint32_t tcps_sack_snxt;
	uint32_t tcps_rto;
	uint32_t tcps_mss;
	int tcps_retransmit;
	uint32_t tcps_rtt;
	uint32_t tcps_rtt_sd;
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
	tcpha_t *tcp_hdr;
} tcpinfo_t;

/* Addresses are IPv6 in the kernel (IPv4 ones mapped); ports in net order. */
translator tcpsinfo_t < tcp_t *T > {
	tcps_addr = (uintptr_t)T;
	tcps_local = T->tcp_loopback;
	tcps_active = T->tcp_active_open;
	tcps_lport = ntohs(T->tcp_connp->conn_lport);
	tcps_rport = ntohs(T->tcp_connp->conn_fport);
	tcps_laddr = inet_ntoa6(&T->tcp_connp->conn_laddr_v6);
	tcps_raddr = inet_ntoa6(&T->tcp_connp->conn_faddr_v6);
	tcps_state = T->tcp_state;
	tcps_iss = T->tcp_iss;
	tcps_irs = T->tcp_irs;
	tcps_suna = T->tcp_suna;
	tcps_snxt = T->tcp_snxt;
	tcps_rack = T->tcp_rack;
	tcps_rnxt = T->tcp_rnxt;
	tcps_swnd = T->tcp_swnd;
	tcps_snd_ws = T->tcp_snd_ws;
	tcps_rwnd = T->tcp_rwnd;
	tcps_rcv_ws = T->tcp_rcv_ws;
	tcps_cwnd = T->tcp_cwnd;
	tcps_cwnd_ssthresh = T->tcp_cwnd_ssthresh;
	tcps_sack_fack = T->tcp_cs_sack_fack;
	tcps_sack_snxt = T->tcp_rexmit_nxt;
	tcps_rto = T->tcp_rto;
	tcps_mss = T->tcp_mss;
	tcps_retransmit = T->tcp_rexmit;
	tcps_rtt = T->tcp_rtt_sa;
	tcps_rtt_sd = T->tcp_rtt_sd;
};

translator tcpinfo_t < tcpha_t *H > {
	tcp_sport = H == NULL ? 0 : ntohs(H->tha_lport);
	tcp_dport = H == NULL ? 0 : ntohs(H->tha_fport);
	tcp_seq = H == NULL ? 0 : ntohl(H->tha_seq);
	tcp_ack = H == NULL ? 0 : ntohl(H->tha_ack);
	tcp_offset = H == NULL ? 0 : (H->tha_offset_and_reserved >> 4) * 4;
	tcp_flags = H == NULL ? 0 : H->tha_flags;
	tcp_window = H == NULL ? 0 : ntohs(H->tha_win);
	tcp_checksum = H == NULL ? 0 : ntohs(H->tha_sum);
	tcp_urgent = H == NULL ? 0 : ntohs(H->tha_urp);
	tcp_hdr = H;
};

translator tcplsinfo_t < int32_t S > {
	tcps_state = S;
};
