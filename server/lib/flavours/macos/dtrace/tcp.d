/*
 * tcp.d -- what the macOS tcp provider's arguments translate to:
 * tcpsinfo_t (the connection, in macOS's own shape: the state as a
 * string and the raw tcpcb counters), tcpnsinfo_t (the new state of a
 * state-change), tcpinfo_t (the segment's header) and tcpccevent_t (the
 * congestion-control event of the cc probe); the TCPS_ states, the TH_
 * flags and the TCP_CC_ events.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS. Unlike illumos and FreeBSD, tcpsinfo_t has no ports
 * or addresses (read them through csinfo_t's connection or the tcpcb)
 * and names states "state-fin-wait1" and "state-fin-wait2".
 */

#pragma D depends_on library types.d
#pragma D depends_on library netinet.d

inline int TH_FIN = 0x01;
inline int TH_SYN = 0x02;
inline int TH_RST = 0x04;
inline int TH_PUSH = 0x08;
inline int TH_ACK = 0x10;
inline int TH_URG = 0x20;
inline int TH_ECE = 0x40;
inline int TH_CWR = 0x80;

inline int TCPS_CLOSED = 0;
inline int TCPS_LISTEN = 1;
inline int TCPS_SYN_SENT = 2;
inline int TCPS_SYN_RECEIVED = 3;
inline int TCPS_ESTABLISHED = 4;
inline int TCPS_CLOSE_WAIT = 5;
inline int TCPS_FIN_WAIT_1 = 6;
inline int TCPS_CLOSING = 7;
inline int TCPS_LAST_ACK = 8;
inline int TCPS_FIN_WAIT_2 = 9;
inline int TCPS_TIME_WAIT = 10;

/* Congestion-control events (tcp:::cc). */
inline int TCP_CC_CWND_INIT = 0;
inline int TCP_CC_INSEQ_ACK_RCVD = 1;
inline int TCP_CC_ACK_RCVD = 2;
inline int TCP_CC_ENTER_FASTRECOVERY = 3;
inline int TCP_CC_IN_FASTRECOVERY = 4;
inline int TCP_CC_EXIT_FASTRECOVERY = 5;
inline int TCP_CC_PARTIAL_ACK = 6;
inline int TCP_CC_IDLE_TIMEOUT = 7;
inline int TCP_CC_REXMT_TIMEOUT = 8;
inline int TCP_CC_ECN_RCVD = 9;
inline int TCP_CC_BAD_REXMT_RECOVERY = 10;
inline int TCP_CC_OUTPUT_ERROR = 11;
inline int TCP_CC_CHANGE_ALGO = 12;
inline int TCP_CC_FLOW_CONTROL = 13;
inline int TCP_CC_SUSPEND = 14;
inline int TCP_CC_LIMITED_TRANSMIT = 15;
inline int TCP_CC_EARLY_RETRANSMIT = 16;

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

typedef struct tcpsinfo {
	int tcps_local;
	int tcps_active;
	string tcps_state;
	u_int t_flags;
	uint32_t rcv_nxt;
	uint32_t rcv_adv;
	uint32_t rcv_wnd;
	uint32_t snd_wnd;
	uint32_t snd_cwnd;
	uint32_t snd_ssthresh;
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t snd_max;
	uint32_t snd_recover;
	int t_rxtcur;
	u_int t_maxseg;
	u_int t_rttbest;
	int rcv_numsacks;
	int snd_numholes;
	struct tcpcb *tcpcb;
} tcpsinfo_t;

typedef struct tcpnsinfo {
	string tcps_state;
} tcpnsinfo_t;

typedef struct tcpccevent {
	string tcp_cc;
} tcpccevent_t;

translator tcpinfo_t < struct tcphdr *H > {
	tcp_sport = ntohs(H->th_sport);
	tcp_dport = ntohs(H->th_dport);
	tcp_seq = ntohl(H->th_seq);
	tcp_ack = ntohl(H->th_ack);
	tcp_offset = H->th_off * 4;
	tcp_flags = H->th_flags;
	tcp_window = ntohs(H->th_win);
	tcp_checksum = ntohs(H->th_sum);
	tcp_urgent = ntohs(H->th_urp);
	tcp_hdr = H;
};

translator tcpsinfo_t < struct tcpcb *T > {
	tcps_local = 0;
	tcps_active = 0;
	tcps_state = T == NULL ? "<null>" :
	    T->t_state == TCPS_CLOSED ? "state-closed" :
	    T->t_state == TCPS_LISTEN ? "state-listen" :
	    T->t_state == TCPS_SYN_SENT ? "state-syn-sent" :
	    T->t_state == TCPS_SYN_RECEIVED ? "state-syn-received" :
	    T->t_state == TCPS_ESTABLISHED ? "state-established" :
	    T->t_state == TCPS_CLOSE_WAIT ? "state-close-wait" :
	    T->t_state == TCPS_FIN_WAIT_1 ? "state-fin-wait1" :
	    T->t_state == TCPS_CLOSING ? "state-closing" :
	    T->t_state == TCPS_LAST_ACK ? "state-last-ack" :
	    T->t_state == TCPS_FIN_WAIT_2 ? "state-fin-wait2" :
	    T->t_state == TCPS_TIME_WAIT ? "state-time-wait" :
	    "<unknown>";
	t_flags = T->t_flags;
	rcv_nxt = T->rcv_nxt;
	rcv_adv = T->rcv_adv;
	rcv_wnd = T->rcv_wnd;
	snd_wnd = T->snd_wnd;
	snd_cwnd = T->snd_cwnd;
	snd_ssthresh = T->snd_ssthresh;
	snd_una = T->snd_una;
	snd_nxt = T->snd_nxt;
	snd_max = T->snd_max;
	snd_recover = T->snd_recover;
	t_rxtcur = T->t_rxtcur;
	t_maxseg = T->t_maxseg;
	t_rttbest = T->t_rttbest;
	rcv_numsacks = T->rcv_numsacks;
	snd_numholes = T->snd_numholes;
	tcpcb = T;
};

translator tcpnsinfo_t < int32_t S > {
	tcps_state =
	    S == TCPS_CLOSED ? "state-closed" :
	    S == TCPS_LISTEN ? "state-listen" :
	    S == TCPS_SYN_SENT ? "state-syn-sent" :
	    S == TCPS_SYN_RECEIVED ? "state-syn-received" :
	    S == TCPS_ESTABLISHED ? "state-established" :
	    S == TCPS_CLOSE_WAIT ? "state-close-wait" :
	    S == TCPS_FIN_WAIT_1 ? "state-fin-wait1" :
	    S == TCPS_CLOSING ? "state-closing" :
	    S == TCPS_LAST_ACK ? "state-last-ack" :
	    S == TCPS_FIN_WAIT_2 ? "state-fin-wait2" :
	    S == TCPS_TIME_WAIT ? "state-time-wait" :
	    "<unknown>";
};

translator tcpccevent_t < int32_t E > {
	tcp_cc =
	    E == TCP_CC_CWND_INIT ? "cwnd-init" :
	    E == TCP_CC_INSEQ_ACK_RCVD ? "inseq-ack-rcvd" :
	    E == TCP_CC_ACK_RCVD ? "ack-rcvd" :
	    E == TCP_CC_ENTER_FASTRECOVERY ? "enter-fastrecovery" :
	    E == TCP_CC_IN_FASTRECOVERY ? "in-fastrecovery" :
	    E == TCP_CC_EXIT_FASTRECOVERY ? "exit-fastrecovery" :
	    E == TCP_CC_PARTIAL_ACK ? "partial-ack" :
	    E == TCP_CC_IDLE_TIMEOUT ? "idle-timeout" :
	    E == TCP_CC_REXMT_TIMEOUT ? "rexmt-timeout" :
	    E == TCP_CC_ECN_RCVD ? "ecn-rcvd" :
	    E == TCP_CC_BAD_REXMT_RECOVERY ? "bad-rexmt" :
	    E == TCP_CC_OUTPUT_ERROR ? "output-error" :
	    E == TCP_CC_CHANGE_ALGO ? "change-algo" :
	    E == TCP_CC_FLOW_CONTROL ? "flow-control" :
	    E == TCP_CC_SUSPEND ? "suspend" :
	    E == TCP_CC_LIMITED_TRANSMIT ? "limited-transmit" :
	    E == TCP_CC_EARLY_RETRANSMIT ? "early-rexmt" :
	    "<unknown>";
};
