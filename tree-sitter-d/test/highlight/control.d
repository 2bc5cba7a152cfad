// Control lines, comments and reserved words.
#pragma D option quiet
// <- keyword.directive
//      ^ keyword.directive
//        ^ keyword.directive
//               ^ property
#pragma D option bufsize=4m
//               ^ property
//                      ^ operator
//                       ^ string.special
#pragma D depends_on provider syscall
//        ^ keyword.directive
//                   ^ string.special
//                            ^ string.special
#pragma D binding "1.0" myfunc
//        ^ keyword.directive
//                ^ string
#include <sys/types.h>
// <- keyword.directive
//       ^ string
#define MAXLEN 64
// <- keyword.directive
//      ^ constant.macro
#define SQ(x) ((x) * (x))
//      ^ function.macro
//         ^ variable.parameter
#ifdef __FreeBSD__
// <- keyword.directive
//     ^ constant.macro
#endif
// <- keyword.directive
#error unsupported
// <- keyword.directive
//     ^ string
#line 10 "x.d"
// <- keyword.directive
//    ^ number
//       ^ string
# 12 "y.d"
// <- keyword.directive
//^ number
#frobnicate
// <- keyword.directive

/* a block comment */
// <- comment

BEGIN
{
  if (x) y = 1; else y = 2;
//^ keyword.conditional
//              ^ keyword.conditional
  for (i = 0; i < 3; i++) x++;
//^ keyword.repeat
  while (x) x--;
//^ keyword.repeat
  do x--; while (x);
//^ keyword.repeat
  switch (x) { case 1: break; default: continue; }
//^ keyword.conditional
//             ^ keyword.conditional
//                     ^ keyword.repeat
//                            ^ keyword.conditional
//                                     ^ keyword.repeat
  return;
//^ keyword.return
  goto out;
//^ keyword
//     ^ label
}
