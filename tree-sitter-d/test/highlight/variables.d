// Built-in variables, D variables and literals.
BEGIN
{
  a = arg0 + arg9 + args[0]->b_flags + curthread->t_pri + errno;
//^ variable
//    ^ variable.builtin
//           ^ variable.builtin
//                  ^ variable.builtin
//                         ^ operator
//                           ^ variable.member
//                                     ^ variable.builtin
//                                                ^ variable.member
//                                                        ^ variable.builtin
  b = execname + probefunc + probename + probemod + probeprov;
//    ^ variable.builtin
//               ^ variable.builtin
//                           ^ variable.builtin
//                                       ^ variable.builtin
//                                                  ^ variable.builtin
  c = walltimestamp - vtimestamp + ppid + tid + uid + gid + cpu + id + epid;
//    ^ variable.builtin
//                    ^ variable.builtin
//                                 ^ variable.builtin
//                                        ^ variable.builtin
//                                              ^ variable.builtin
//                                                    ^ variable.builtin
//                                                          ^ variable.builtin
//                                                                ^ variable.builtin
//                                                                     ^ variable.builtin
  d = curpsinfo->pr_psargs + stackdepth + caller + ucaller + zonename + ipl;
//    ^ variable.builtin
//               ^ variable.member
//                           ^ variable.builtin
//                                        ^ variable.builtin
//                                                 ^ variable.builtin
//                                                           ^ variable.builtin
//                                                                      ^ variable.builtin
  this->n = self->depth[tid];
//^ variable.builtin
//      ^ variable.member
//          ^ variable.builtin
//                ^ variable.member
//                     ^ punctuation.bracket
  self->string = p->probe;
//      ^ variable.member
//                  ^ variable.member
  @counts[execname] = count();
//^ attribute
//                    ^ function.builtin
  @ = sum(1);
//^ attribute
  e = $1 + $$2 + $pid;
//    ^ constant.macro
//         ^ constant.macro
//               ^ constant.macro
  f = `max_ncpus + genunix`kmem_flags;
//    ^ variable.builtin
//                 ^ variable.builtin
  g = NULL;
//    ^ constant.builtin
  h = DTRACEFLT_BADADDR + MAX_DEPTH;
//    ^ constant.builtin
//                        ^ constant
  i = 42 + 0x1fUL + 0755;
//    ^ number
//         ^ number
//                  ^ number
  j = 'a' + '\n';
//    ^ character
//          ^ character
  k = "tab\there";
//    ^ string
//        ^ string.escape
//          ^ string
  l = 1.5;
//    ^ number.float
  m = x ? y : z;
//      ^ keyword.conditional.ternary
//          ^ keyword.conditional.ternary
  n = s.member + p->field;
//     ^ punctuation.delimiter
//      ^ variable.member
//                  ^ variable.member
  o = !a && b ^^ c || ~d;
//    ^ operator
//       ^ operator
//            ^ operator
//                 ^ operator
//                    ^ operator
  p = *q + &r;
//    ^ operator
//         ^ operator
  x++;
// ^ operator
}
