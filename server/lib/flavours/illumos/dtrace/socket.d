/*
 * socket.d -- address families (AF_, with PF_ aliases) and socket types
 * (SOCK_) for scripts that read socket(2) and connect(2) arguments.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos (sys/socket.h): AF_INET6 is 26, and SOCK_STREAM is 2 and
 * SOCK_DGRAM 1, the other way round from the BSDs and Linux.
 */

#pragma D depends_on library types.d
#pragma D depends_on library ip.d

inline int AF_UNSPEC = 0;
inline int AF_UNIX = 1;
inline int AF_INET = 2;
inline int AF_INET6 = 26;
inline int AF_LOCAL = AF_UNIX;
inline int PF_UNSPEC = AF_UNSPEC;
inline int PF_UNIX = AF_UNIX;
inline int PF_LOCAL = AF_LOCAL;
inline int PF_INET = AF_INET;
inline int PF_INET6 = AF_INET6;
inline int SOCK_STREAM = 2;
inline int SOCK_DGRAM = 1;
inline int SOCK_RAW = 4;
inline int SOCK_RDM = 5;
inline int SOCK_SEQPACKET = 6;

/* Socket addresses, as connect(2) and bind(2) pass them. */
typedef uint32_t in_addr_t;

struct in_addr {
	in_addr_t s_addr;
};

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

struct sockaddr_in {
	sa_family_t sin_family;
	in_port_t sin_port;
	struct in_addr sin_addr;
	char sin_zero[8];
};

struct sockaddr_in6 {
	sa_family_t sin6_family;
	in_port_t sin6_port;
	uint32_t sin6_flowinfo;
	in6_addr_t sin6_addr;
	uint32_t sin6_scope_id;
};
