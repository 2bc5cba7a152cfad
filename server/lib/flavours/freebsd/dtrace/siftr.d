/*
 * siftr.d -- what the tcp provider's siftr probe passes: siftrinfo_t,
 * one sample of the Statistical Information For TCP Research module
 * (siftr(4)) per packet, translated from its struct pkt_node; the
 * SIFTR_IN / SIFTR_OUT directions and siftr_dir_string[].
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD (netinet/siftr.c). The ports are kept in network
 * order in the kernel and in host order in siftrinfo_t.
 */

#pragma D depends_on library types.d

inline int SIFTR_IN = 1;
#pragma D binding "1.12.1" SIFTR_IN
inline int SIFTR_OUT = 2;
#pragma D binding "1.12.1" SIFTR_OUT

inline string siftr_dir_string[uint8_t direction] =
    direction == SIFTR_IN ? "in" :
    direction == SIFTR_OUT ? "out" : "unknown";
#pragma D binding "1.12.1" siftr_dir_string

struct pkt_node {
	struct timeval tval;
	uint8_t direction;
	uint8_t ipver;
	uint32_t hash;
	uint16_t tcp_localport;
	uint16_t tcp_foreignport;
	uint64_t snd_cwnd;
	u_long snd_wnd;
	u_long rcv_wnd;
	u_long snd_bwnd;
	u_long snd_ssthresh;
	int conn_state;
	u_int max_seg_size;
	int smoothed_rtt;
	u_char sack_enabled;
	u_char snd_scale;
	u_char rcv_scale;
	u_int flags;
	int rxt_length;
	u_int snd_buf_hiwater;
	u_int snd_buf_cc;
	u_int rcv_buf_hiwater;
	u_int rcv_buf_cc;
	u_int sent_inflight_bytes;
	int t_segqlen;
	u_int flowid;
	u_int flowtype;
};

typedef struct siftrinfo {
	struct timeval tval;
	uint8_t direction;
	uint8_t ipver;
	uint32_t hash;
	uint16_t tcp_localport;
	uint16_t tcp_foreignport;
	uint64_t snd_cwnd;
	u_long snd_wnd;
	u_long rcv_wnd;
	u_long snd_bwnd;
	u_long snd_ssthresh;
	int conn_state;
	u_int max_seg_size;
	int smoothed_rtt;
	u_char sack_enabled;
	u_char snd_scale;
	u_char rcv_scale;
	u_int flags;
	int rxt_length;
	u_int snd_buf_hiwater;
	u_int snd_buf_cc;
	u_int rcv_buf_hiwater;
	u_int rcv_buf_cc;
	u_int sent_inflight_bytes;
	int t_segqlen;
	u_int flowid;
	u_int flowtype;
} siftrinfo_t;

#pragma D binding "1.12.1" translator
translator siftrinfo_t < struct pkt_node *P > {
	tval = P->tval;
	direction = P == NULL ? 0 : P->direction;
	ipver = P == NULL ? 0 : P->ipver;
	hash = P == NULL ? 0 : P->hash;
	tcp_localport = P == NULL ? 0 : ntohs(P->tcp_localport);
	tcp_foreignport = P == NULL ? 0 : ntohs(P->tcp_foreignport);
	snd_cwnd = P == NULL ? 0 : P->snd_cwnd;
	snd_wnd = P == NULL ? 0 : P->snd_wnd;
	rcv_wnd = P == NULL ? 0 : P->rcv_wnd;
	snd_bwnd = P == NULL ? 0 : P->snd_bwnd;
	snd_ssthresh = P == NULL ? 0 : P->snd_ssthresh;
	conn_state = P == NULL ? 0 : P->conn_state;
	max_seg_size = P == NULL ? 0 : P->max_seg_size;
	smoothed_rtt = P == NULL ? 0 : P->smoothed_rtt;
	sack_enabled = P == NULL ? 0 : P->sack_enabled;
	snd_scale = P == NULL ? 0 : P->snd_scale;
	rcv_scale = P == NULL ? 0 : P->rcv_scale;
	flags = P == NULL ? 0 : P->flags;
	rxt_length = P == NULL ? 0 : P->rxt_length;
	snd_buf_hiwater = P == NULL ? 0 : P->snd_buf_hiwater;
	snd_buf_cc = P == NULL ? 0 : P->snd_buf_cc;
	rcv_buf_hiwater = P == NULL ? 0 : P->rcv_buf_hiwater;
	rcv_buf_cc = P == NULL ? 0 : P->rcv_buf_cc;
	sent_inflight_bytes = P == NULL ? 0 : P->sent_inflight_bytes;
	t_segqlen = P == NULL ? 0 : P->t_segqlen;
	flowid = P == NULL ? 0 : P->flowid;
	flowtype = P == NULL ? 0 : P->flowtype;
};
