// Subroutines, actions and aggregating functions.
syscall::open:entry
{
  printf("%s\n", copyinstr(arg0));
//^ function.builtin
//               ^ function.builtin
//      ^ punctuation.bracket
  trace(strlen(basename(execname)));
//^ function.builtin
//      ^ function.builtin
//             ^ function.builtin
  self->spec = speculation();
//             ^ function.builtin
  speculate(self->spec);
//^ function.builtin
  commit(1); discard(2); exit(0);
//^ function.builtin
//           ^ function.builtin
//                       ^ function.builtin
  stack(); ustack(); jstack(); tracemem(p, 8);
//^ function.builtin
//         ^ function.builtin
//                   ^ function.builtin
//                             ^ function.builtin
  system("date"); raise(9); stop(); panic(); chill(1); breakpoint();
//^ function.builtin
//                ^ function.builtin
//                          ^ function.builtin
//                                  ^ function.builtin
//                                           ^ function.builtin
//                                                     ^ function.builtin
  printa(@a); clear(@a); trunc(@a, 5); normalize(@a, 10); denormalize(@a);
//^ function.builtin
//            ^ function.builtin
//                       ^ function.builtin
//                                     ^ function.builtin
//                                                        ^ function.builtin
  s = strjoin(substr(a, 1), lltostr(b)) + strtok(c, ",") + inet_ntop(af, d);
//    ^ function.builtin
//            ^ function.builtin
//                          ^ function.builtin
//                                        ^ function.builtin
//                                                         ^ function.builtin
  t = rand() + progenyof(1) + index(a, b) + htonl(c) + strtoll(d) + json(e, f);
//    ^ function.builtin
//             ^ function.builtin
//                            ^ function.builtin
//                                          ^ function.builtin
//                                                     ^ function.builtin
//                                                                  ^ function.builtin
  u = alloca(8); bcopy(a, b, 1); copyout(a, b, 1); mutex_owned(m);
//    ^ function.builtin
//               ^ function.builtin
//                               ^ function.builtin
//                                                 ^ function.builtin
  @c = count(); @s = sum(x); @m = min(x); @M = max(x); @v = avg(x); @d = stddev(x);
//     ^ function.builtin
//                   ^ function.builtin
//                                ^ function.builtin
//                                             ^ function.builtin
//                                                          ^ function.builtin
//                                                                       ^ function.builtin
  @q = quantize(x); @l = lquantize(x, 0, 100, 10); @ll = llquantize(x, 10, 0, 6, 20);
//     ^ function.builtin
//                       ^ function.builtin
//                                                       ^ function.builtin
  setopt("quiet"); freopen("/tmp/out"); ftruncate();
//^ function.builtin
//                 ^ function.builtin
//                                      ^ function.builtin
  func(a); mod(a); sym(a); ufunc(a); umod(a); usym(a); uaddr(a); print(a);
//^ function.builtin
//         ^ function.builtin
//                 ^ function.builtin
//                         ^ function.builtin
//                                   ^ function.builtin
//                                            ^ function.builtin
//                                                     ^ function.builtin
//                                                               ^ function.builtin
  nosuchfunction(1);
//^ function.call
  v = sizeof(int) + stringof(a) + offsetof(struct s, m) + xlate<psinfo_t *>(p)->pr_pid;
//    ^ keyword.operator
//           ^ type.builtin
//                  ^ keyword.operator
//                                ^ keyword.operator
//                                         ^ keyword.type
//                                                ^ type
//                                                   ^ variable.member
//                                                        ^ keyword.operator
//                                                             ^ punctuation.bracket
//                                                              ^ type
//                                                                        ^ punctuation.bracket
//                                                                              ^ variable.member
  w = (uint64_t)x + (struct foo *)y + (char)z;
//     ^ type.builtin
//                          ^ type
//                              ^ operator
//                                     ^ type.builtin
}
