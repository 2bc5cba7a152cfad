// SYNTAX TEST "source.dtrace" "built-in variables, subroutines, actions and aggregating functions"

BEGIN
{
    x = arg0;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg1;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg2;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg3;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg4;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg5;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg6;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg7;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg8;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg9;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = args;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = curthread;
//      ^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = timestamp;
//      ^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = vtimestamp;
//      ^^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = walltimestamp;
//      ^^^^^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = ipl;
//      ^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = epid;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = id;
//      ^^ meta.block.dtrace support.variable.builtin.dtrace
    x = stackdepth;
//      ^^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = ustackdepth;
//      ^^^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = caller;
//      ^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = ucaller;
//      ^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = probeprov;
//      ^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = probemod;
//      ^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = probefunc;
//      ^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = probename;
//      ^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = pid;
//      ^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = ppid;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = tid;
//      ^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = uid;
//      ^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = gid;
//      ^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = errno;
//      ^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = execname;
//      ^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = execargs;
//      ^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = zonename;
//      ^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = jid;
//      ^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = jailname;
//      ^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = cpu;
//      ^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = curpsinfo;
//      ^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = curlwpsinfo;
//      ^^^^^^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = curcpu;
//      ^^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = regs;
//      ^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = uregs;
//      ^^^^^ meta.block.dtrace support.variable.builtin.dtrace
    x = arg10 + pids + myexecname;
//      ^^^^^ variable.other.dtrace - support.variable.builtin.dtrace
//              ^^^^ variable.other.dtrace - support.variable.builtin.dtrace
//                     ^^^^^^^^^^ variable.other.dtrace - support.variable.builtin.dtrace
    x = NULL;
//      ^^^^ constant.language.null.dtrace
    x = DTRACEFLT_BADADDR;
//      ^^^^^^^^^^^^^^^^^ support.constant.fault.dtrace
}

BEGIN
{
    x = rand(a);
//      ^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = mutex_owned(a);
//      ^^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = mutex_owner(a);
//      ^^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = mutex_type_adaptive(a);
//      ^^^^^^^^^^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = mutex_type_spin(a);
//      ^^^^^^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = rw_read_held(a);
//      ^^^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = rw_write_held(a);
//      ^^^^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = rw_iswriter(a);
//      ^^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = copyin(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = copyinstr(a);
//      ^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = speculation(a);
//      ^^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = progenyof(a);
//      ^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = strlen(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = alloca(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = bcopy(a);
//      ^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = copyinto(a);
//      ^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = msgdsize(a);
//      ^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = msgsize(a);
//      ^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = getmajor(a);
//      ^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = getminor(a);
//      ^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = ddi_pathname(a);
//      ^^^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = strjoin(a);
//      ^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = lltostr(a);
//      ^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = basename(a);
//      ^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = dirname(a);
//      ^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = cleanpath(a);
//      ^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = strchr(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = strrchr(a);
//      ^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = strstr(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = strtok(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = substr(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = index(a);
//      ^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = rindex(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = htons(a);
//      ^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = htonl(a);
//      ^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = htonll(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = ntohs(a);
//      ^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = ntohl(a);
//      ^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = ntohll(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = inet_ntop(a);
//      ^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = inet_ntoa(a);
//      ^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = inet_ntoa6(a);
//      ^^^^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = toupper(a);
//      ^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = tolower(a);
//      ^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = getf(a);
//      ^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = json(a);
//      ^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = strtoll(a);
//      ^^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = memref(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    x = memstr(a);
//      ^^^^^^ meta.block.dtrace support.function.subroutine.dtrace
    copyout(a, b, c);
//  ^^^^^^^ support.function.subroutine.destructive.dtrace
    copyoutstr(a, b, c);
//  ^^^^^^^^^^ support.function.subroutine.destructive.dtrace
    x = index;
//      ^^^^^ variable.other.dtrace - support.function
}

BEGIN
{
    trace(a);
//  ^^^^^ meta.block.dtrace support.function.action.dtrace
    tracemem(a);
//  ^^^^^^^^ meta.block.dtrace support.function.action.dtrace
    printf(a);
//  ^^^^^^ meta.block.dtrace support.function.action.dtrace
    printa(a);
//  ^^^^^^ meta.block.dtrace support.function.action.dtrace
    print(a);
//  ^^^^^ meta.block.dtrace support.function.action.dtrace
    printm(a);
//  ^^^^^^ meta.block.dtrace support.function.action.dtrace
    printt(a);
//  ^^^^^^ meta.block.dtrace support.function.action.dtrace
    exit(a);
//  ^^^^ meta.block.dtrace support.function.action.dtrace
    stack(a);
//  ^^^^^ meta.block.dtrace support.function.action.dtrace
    sym(a);
//  ^^^ meta.block.dtrace support.function.action.dtrace
    func(a);
//  ^^^^ meta.block.dtrace support.function.action.dtrace
    mod(a);
//  ^^^ meta.block.dtrace support.function.action.dtrace
    ustack(a);
//  ^^^^^^ meta.block.dtrace support.function.action.dtrace
    jstack(a);
//  ^^^^^^ meta.block.dtrace support.function.action.dtrace
    usym(a);
//  ^^^^ meta.block.dtrace support.function.action.dtrace
    ufunc(a);
//  ^^^^^ meta.block.dtrace support.function.action.dtrace
    umod(a);
//  ^^^^ meta.block.dtrace support.function.action.dtrace
    uaddr(a);
//  ^^^^^ meta.block.dtrace support.function.action.dtrace
    speculate(a);
//  ^^^^^^^^^ meta.block.dtrace support.function.action.dtrace
    commit(a);
//  ^^^^^^ meta.block.dtrace support.function.action.dtrace
    discard(a);
//  ^^^^^^^ meta.block.dtrace support.function.action.dtrace
    clear(a);
//  ^^^^^ meta.block.dtrace support.function.action.dtrace
    normalize(a);
//  ^^^^^^^^^ meta.block.dtrace support.function.action.dtrace
    denormalize(a);
//  ^^^^^^^^^^^ meta.block.dtrace support.function.action.dtrace
    trunc(a);
//  ^^^^^ meta.block.dtrace support.function.action.dtrace
    setopt(a);
//  ^^^^^^ meta.block.dtrace support.function.action.dtrace
    ftruncate(a);
//  ^^^^^^^^^ meta.block.dtrace support.function.action.dtrace
    stop(a);
//  ^^^^ meta.block.dtrace support.function.action.destructive.dtrace
    raise(a);
//  ^^^^^ meta.block.dtrace support.function.action.destructive.dtrace
    system(a);
//  ^^^^^^ meta.block.dtrace support.function.action.destructive.dtrace
    freopen(a);
//  ^^^^^^^ meta.block.dtrace support.function.action.destructive.dtrace
    breakpoint(a);
//  ^^^^^^^^^^ meta.block.dtrace support.function.action.destructive.dtrace
    panic(a);
//  ^^^^^ meta.block.dtrace support.function.action.destructive.dtrace
    chill(a);
//  ^^^^^ meta.block.dtrace support.function.action.destructive.dtrace
    printf ("spaced");
//  ^^^^^^ support.function.action.dtrace
    @k[ustack(), stack(5), jstack()] = count();
//     ^^^^^^ meta.brackets.dtrace support.function.action.dtrace
//               ^^^^^ meta.brackets.dtrace support.function.action.dtrace
    helper(1);
//  ^^^^^^ entity.name.function.call.dtrace
}

BEGIN
{
    @a = count(x);
//       ^^^^^ meta.block.dtrace support.function.aggregation.dtrace
    @a = min(x);
//       ^^^ meta.block.dtrace support.function.aggregation.dtrace
    @a = max(x);
//       ^^^ meta.block.dtrace support.function.aggregation.dtrace
    @a = avg(x);
//       ^^^ meta.block.dtrace support.function.aggregation.dtrace
    @a = sum(x);
//       ^^^ meta.block.dtrace support.function.aggregation.dtrace
    @a = stddev(x);
//       ^^^^^^ meta.block.dtrace support.function.aggregation.dtrace
    @a = quantize(x);
//       ^^^^^^^^ meta.block.dtrace support.function.aggregation.dtrace
    @a = lquantize(x);
//       ^^^^^^^^^ meta.block.dtrace support.function.aggregation.dtrace
    @a = llquantize(x);
//       ^^^^^^^^^^ meta.block.dtrace support.function.aggregation.dtrace
    @lat[probefunc] = lquantize(this->delta, 0, 1000, 10);
//                    ^^^^^^^^^ support.function.aggregation.dtrace
//                                    ^^^^^ meta.parens.dtrace variable.other.clause-local.dtrace
    @ll = llquantize(arg0, 10, 0, 6, 20);
//        ^^^^^^^^^^ support.function.aggregation.dtrace
    x = p->max + p->count;
//         ^^^ variable.other.member.dtrace - support.function
//                  ^^^^^ variable.other.member.dtrace - support.function
}
