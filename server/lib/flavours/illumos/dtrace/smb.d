/*
 * smb.d -- the translated types of the illumos SMB server providers:
 * smbopinfo_t (smb, SMB1 requests), smb2opinfo_t (smb2, SMB2 and later)
 * and the per-operation argument records smb_rw_args_t,
 * smb_name_args_t and smb_open_args_t.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos (smbsrv). The kernel translates its struct
 * smb_request to these before the probes fire; conninfo_t is in
 * storage.d.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

typedef struct smbopinfo {
	cred_t *soi_cred;
	string soi_share;
	string soi_curpath;
	uint64_t soi_sid;
	uint32_t soi_pid;
	uint32_t soi_status;
	uint16_t soi_tid;
	uint16_t soi_uid;
	uint16_t soi_mid;
	uint16_t soi_fid;
	uint16_t soi_flags2;
	uint8_t soi_flags;
	zoneid_t soi_zoneid;
} smbopinfo_t;

typedef struct smb2opinfo {
	cred_t *soi_cred;
	string soi_share;
	string soi_curpath;
	uint64_t soi_sid;
	uint64_t soi_mid;
	uint64_t soi_asyncid;
	uint64_t soi_uid;
	uint32_t soi_tid;
	uint32_t soi_status;
	uint32_t soi_flags;
	zoneid_t soi_zoneid;
} smb2opinfo_t;

typedef struct smb_rw_args {
	off_t soa_offset;
	uint_t soa_count;
} smb_rw_args_t;

typedef struct smb_name_args {
	string soa_name;
} smb_name_args_t;

typedef struct smb_open_args {
	string soa_name;
	uint32_t soa_desired_access;
	uint32_t soa_share_access;
	uint32_t soa_create_options;
	uint32_t soa_create_disposition;
} smb_open_args_t;
