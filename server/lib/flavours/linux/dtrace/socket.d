/*
 * socket.d -- address families (AF_, with PF_ aliases) and socket types
 * (SOCK_) for scripts that read socket(2) and connect(2) arguments.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: Linux (bits/socket.h): AF_INET6 is 10.
 */

#pragma D depends_on library types.d

inline int AF_UNSPEC = 0;
inline int AF_UNIX = 1;
inline int AF_INET = 2;
inline int AF_INET6 = 10;
inline int AF_LOCAL = AF_UNIX;
inline int PF_UNSPEC = AF_UNSPEC;
inline int PF_UNIX = AF_UNIX;
inline int PF_LOCAL = AF_LOCAL;
inline int PF_INET = AF_INET;
inline int PF_INET6 = AF_INET6;
/* Flags or-ed into socket(2)'s type. */
inline int SOCK_NONBLOCK = 0x800;
inline int SOCK_CLOEXEC = 0x80000;

/* Protocol numbers (netinet/in.h). */
inline int IPPROTO_IP = 0;
inline int IPPROTO_ICMP = 1;
inline int IPPROTO_TCP = 6;
inline int IPPROTO_UDP = 17;
inline int IPPROTO_IPV6 = 41;
inline int IPPROTO_ICMPV6 = 58;
inline int IPPROTO_SCTP = 132;
inline int IPPROTO_UDPLITE = 136;
inline int IPPROTO_RAW = 255;

inline int SOCK_STREAM = 1;
inline int SOCK_DGRAM = 2;
inline int SOCK_RAW = 3;
inline int SOCK_RDM = 4;
inline int SOCK_SEQPACKET = 5;

/* Socket addresses, as connect(2) and bind(2) pass them. */
typedef uint32_t in_addr_t;
typedef uint16_t in_port_t;

struct in_addr {
	in_addr_t s_addr;
};

struct in6_addr {
	uint8_t s6_addr[16];
};

/* The address types of inet_ntoa() and inet_ntoa6(). */
typedef uint32_t ipaddr_t;
typedef struct in6_addr in6_addr_t;

struct sockaddr {
	uint16_t sa_family;
	char sa_data[14];
};

struct sockaddr_in {
	uint16_t sin_family;
	in_port_t sin_port;
	struct in_addr sin_addr;
	char sin_zero[8];
};

struct sockaddr_in6 {
	uint16_t sin6_family;
	in_port_t sin6_port;
	uint32_t sin6_flowinfo;
	struct in6_addr sin6_addr;
	uint32_t sin6_scope_id;
};
