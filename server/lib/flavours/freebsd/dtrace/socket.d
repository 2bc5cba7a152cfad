/*
 * socket.d -- socket constants for the socket(2) family of system calls
 * and struct socket: address families (AF_, with PF_ aliases), socket
 * types (SOCK_) and socket options (SO_).
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD's values (sys/socket.h): AF_INET6 is 28 here, 26 on
 * illumos, 30 on macOS and 10 on Linux.
 */

/* Address families; each PF_ protocol family has the same value. */
inline int AF_UNSPEC = 0;
#pragma D binding "1.13" AF_UNSPEC
inline int AF_UNIX = 1;
#pragma D binding "1.13" AF_UNIX
inline int AF_INET = 2;
#pragma D binding "1.13" AF_INET
inline int AF_IMPLINK = 3;
#pragma D binding "1.13" AF_IMPLINK
inline int AF_PUP = 4;
#pragma D binding "1.13" AF_PUP
inline int AF_CHAOS = 5;
#pragma D binding "1.13" AF_CHAOS
inline int AF_NETBIOS = 6;
#pragma D binding "1.13" AF_NETBIOS
inline int AF_ISO = 7;
#pragma D binding "1.13" AF_ISO
inline int AF_ECMA = 8;
#pragma D binding "1.13" AF_ECMA
inline int AF_DATAKIT = 9;
#pragma D binding "1.13" AF_DATAKIT
inline int AF_CCITT = 10;
#pragma D binding "1.13" AF_CCITT
inline int AF_SNA = 11;
#pragma D binding "1.13" AF_SNA
inline int AF_DECnet = 12;
#pragma D binding "1.13" AF_DECnet
inline int AF_DLI = 13;
#pragma D binding "1.13" AF_DLI
inline int AF_LAT = 14;
#pragma D binding "1.13" AF_LAT
inline int AF_HYLINK = 15;
#pragma D binding "1.13" AF_HYLINK
inline int AF_APPLETALK = 16;
#pragma D binding "1.13" AF_APPLETALK
inline int AF_ROUTE = 17;
#pragma D binding "1.13" AF_ROUTE
inline int AF_LINK = 18;
#pragma D binding "1.13" AF_LINK
inline int AF_COIP = 20;
#pragma D binding "1.13" AF_COIP
inline int AF_CNT = 21;
#pragma D binding "1.13" AF_CNT
inline int AF_IPX = 23;
#pragma D binding "1.13" AF_IPX
inline int AF_SIP = 24;
#pragma D binding "1.13" AF_SIP
inline int AF_ISDN = 26;
#pragma D binding "1.13" AF_ISDN
inline int AF_INET6 = 28;
#pragma D binding "1.13" AF_INET6
inline int AF_NATM = 29;
#pragma D binding "1.13" AF_NATM
inline int AF_ATM = 30;
#pragma D binding "1.13" AF_ATM
inline int AF_NETGRAPH = 32;
#pragma D binding "1.13" AF_NETGRAPH
inline int AF_SLOW = 33;
#pragma D binding "1.13" AF_SLOW
inline int AF_SCLUSTER = 34;
#pragma D binding "1.13" AF_SCLUSTER
inline int AF_ARP = 35;
#pragma D binding "1.13" AF_ARP
inline int AF_BLUETOOTH = 36;
#pragma D binding "1.13" AF_BLUETOOTH
inline int AF_IEEE80211 = 37;
#pragma D binding "1.13" AF_IEEE80211
inline int AF_HYPERV = 43;
#pragma D binding "1.13" AF_HYPERV
inline int AF_DIVERT = 44;
#pragma D binding "1.13" AF_DIVERT
inline int AF_LOCAL = AF_UNIX;
#pragma D binding "1.13" AF_LOCAL
inline int PF_UNSPEC = AF_UNSPEC;
#pragma D binding "1.13" PF_UNSPEC
inline int PF_UNIX = AF_UNIX;
#pragma D binding "1.13" PF_UNIX
inline int PF_INET = AF_INET;
#pragma D binding "1.13" PF_INET
inline int PF_ROUTE = AF_ROUTE;
#pragma D binding "1.13" PF_ROUTE
inline int PF_LINK = AF_LINK;
#pragma D binding "1.13" PF_LINK
inline int PF_INET6 = AF_INET6;
#pragma D binding "1.13" PF_INET6
inline int PF_NETGRAPH = AF_NETGRAPH;
#pragma D binding "1.13" PF_NETGRAPH
inline int PF_BLUETOOTH = AF_BLUETOOTH;
#pragma D binding "1.13" PF_BLUETOOTH
inline int PF_LOCAL = AF_LOCAL;
#pragma D binding "1.13" PF_LOCAL

/* Socket types. */
inline int SOCK_STREAM = 1;
#pragma D binding "1.13" SOCK_STREAM
inline int SOCK_DGRAM = 2;
#pragma D binding "1.13" SOCK_DGRAM
inline int SOCK_RAW = 3;
#pragma D binding "1.13" SOCK_RAW
inline int SOCK_RDM = 4;
#pragma D binding "1.13" SOCK_RDM
inline int SOCK_SEQPACKET = 5;
#pragma D binding "1.13" SOCK_SEQPACKET

/* Options: the first group are bits of so_options, the rest are get/set only. */
inline int SO_DEBUG = 0x0001;
#pragma D binding "1.13" SO_DEBUG
inline int SO_ACCEPTCONN = 0x0002;
#pragma D binding "1.13" SO_ACCEPTCONN
inline int SO_REUSEADDR = 0x0004;
#pragma D binding "1.13" SO_REUSEADDR
inline int SO_KEEPALIVE = 0x0008;
#pragma D binding "1.13" SO_KEEPALIVE
inline int SO_DONTROUTE = 0x0010;
#pragma D binding "1.13" SO_DONTROUTE
inline int SO_BROADCAST = 0x0020;
#pragma D binding "1.13" SO_BROADCAST
inline int SO_USELOOPBACK = 0x0040;
#pragma D binding "1.13" SO_USELOOPBACK
inline int SO_LINGER = 0x0080;
#pragma D binding "1.13" SO_LINGER
inline int SO_OOBINLINE = 0x0100;
#pragma D binding "1.13" SO_OOBINLINE
inline int SO_REUSEPORT = 0x0200;
#pragma D binding "1.13" SO_REUSEPORT
inline int SO_TIMESTAMP = 0x0400;
#pragma D binding "1.13" SO_TIMESTAMP
inline int SO_NOSIGPIPE = 0x0800;
#pragma D binding "1.13" SO_NOSIGPIPE
inline int SO_ACCEPTFILTER = 0x1000;
#pragma D binding "1.13" SO_ACCEPTFILTER
inline int SO_BINTIME = 0x2000;
#pragma D binding "1.13" SO_BINTIME
inline int SO_SNDBUF = 0x1001;
#pragma D binding "1.13" SO_SNDBUF
inline int SO_RCVBUF = 0x1002;
#pragma D binding "1.13" SO_RCVBUF
inline int SO_SNDLOWAT = 0x1003;
#pragma D binding "1.13" SO_SNDLOWAT
inline int SO_RCVLOWAT = 0x1004;
#pragma D binding "1.13" SO_RCVLOWAT
inline int SO_SNDTIMEO = 0x1005;
#pragma D binding "1.13" SO_SNDTIMEO
inline int SO_RCVTIMEO = 0x1006;
#pragma D binding "1.13" SO_RCVTIMEO
inline int SO_ERROR = 0x1007;
#pragma D binding "1.13" SO_ERROR
inline int SO_TYPE = 0x1008;
#pragma D binding "1.13" SO_TYPE
inline int SO_LABEL = 0x1009;
#pragma D binding "1.13" SO_LABEL
inline int SO_PEERLABEL = 0x1010;
#pragma D binding "1.13" SO_PEERLABEL
inline int SO_LISTENQLIMIT = 0x1011;
#pragma D binding "1.13" SO_LISTENQLIMIT
inline int SO_LISTENQLEN = 0x1012;
#pragma D binding "1.13" SO_LISTENQLEN
inline int SO_LISTENINCQLEN = 0x1013;
#pragma D binding "1.13" SO_LISTENINCQLEN
inline int SO_SETFIB = 0x1014;
#pragma D binding "1.13" SO_SETFIB
inline int SO_USER_COOKIE = 0x1015;
#pragma D binding "1.13" SO_USER_COOKIE
inline int SO_PROTOCOL = 0x1016;
#pragma D binding "1.13" SO_PROTOCOL
