/*
 * storage.d -- the translated types of the illumos storage and file
 * service providers: conninfo_t (a connection), the SCSI command and
 * transfer records (scsicmd_t, xferinfo_t), and each protocol's own
 * record: iscsiinfo_t (iscsi), fc_port_info_t and fc_xferinfo_t (fc),
 * srp_portinfo_t, srp_logininfo_t and srp_taskinfo_t (srp), nfsv3opinfo_t,
 * nfsv4opinfo_t and nfsv4cbinfo_t (nfsv3, nfsv4).
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos. Member names and types are the providers'
 * documented ones; the kernel translates its native structures to them
 * before the probes fire, so no translator appears here.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

/* The transport type nfsv3/nfsv4's conninfo_t reports as "rdma". */
inline int T_RDMA = 4;
#pragma D binding "1.5" T_RDMA

typedef struct conninfo {
	string ci_local;
	string ci_remote;
	string ci_protocol;
} conninfo_t;

typedef struct scsicmd {
	uint64_t ic_len;
	uint8_t *ic_cdb;
} scsicmd_t;

typedef struct xferinfo {
	uintptr_t xfer_laddr;
	uint32_t xfer_loffset;
	uint32_t xfer_lkey;
	uintptr_t xfer_raddr;
	uint32_t xfer_roffset;
	uint32_t xfer_rkey;
	uint32_t xfer_len;
	int xfer_type;
} xferinfo_t;

typedef struct iscsiinfo {
	string ii_target;
	string ii_initiator;
	string ii_isid;
	uint16_t ii_tsih;
	string ii_transport;
	uint64_t ii_lun;
	uint32_t ii_itt;
	uint32_t ii_ttt;
	uint32_t ii_cmdsn;
	uint32_t ii_statsn;
	uint32_t ii_datasn;
	uint32_t ii_datalen;
	uint32_t ii_flags;
} iscsiinfo_t;

typedef struct fc_port_info {
	string fcp_node_wwn;
	string fcp_sym_node_name;
	string fcp_sym_port_name;
	uint32_t fcp_port_hard_address;
} fc_port_info_t;

typedef struct fc_xferinfo {
	uint32_t fcx_len;
	uint32_t fcx_offset;
	uint16_t fcx_flags;
} fc_xferinfo_t;

typedef struct srp_portinfo {
	string pi_initiator;
	string pi_i_sid;
	string pi_target;
	string pi_t_sid;
	uintptr_t pi_chan_id;
} srp_portinfo_t;

typedef struct srp_logininfo {
	uint64_t li_task_tag;
	uint32_t li_max_it_iu_len;
	uint32_t li_max_ti_iu_len;
	uint32_t li_request_limit;
	uint32_t li_reason_code;
} srp_logininfo_t;

typedef struct srp_taskinfo {
	uint64_t ti_task_tag;
	uint64_t ti_lun;
	uint8_t ti_function;
	uint32_t ti_req_limit_delta;
	uint8_t ti_flag;
	uint32_t ti_do_resid_cnt;
	uint32_t ti_di_resid_cnt;
	uint8_t ti_status;
} srp_taskinfo_t;

typedef struct nfsv3opinfo {
	uint64_t noi_xid;
	cred_t *noi_cred;
	string noi_curpath;
} nfsv3opinfo_t;

typedef struct nfsv4opinfo {
	uint64_t noi_xid;
	cred_t *noi_cred;
	string noi_curpath;
} nfsv4opinfo_t;

typedef struct nfsv4cbinfo {
	string nci_curpath;
} nfsv4cbinfo_t;
