// Probe descriptions, predicates and clause bodies.
#!/usr/sbin/dtrace -qs
// <- keyword.directive

syscall::read:entry, fbt:genunix:kmem_alloc:return
// <- module
//     ^ punctuation.delimiter
//       ^ function
//            ^ label
//                 ^ punctuation.delimiter
//                   ^ module
//                       ^ namespace
//                               ^ function
//                                          ^ label
/pid == $target/
// <- punctuation.special
//   ^ operator
//      ^ constant.macro
//             ^ punctuation.special
{
// <- punctuation.bracket
  self->ts = timestamp;
//^ variable.builtin
//    ^ operator
//      ^ variable.member
//         ^ operator
//           ^ variable.builtin
//                    ^ punctuation.delimiter
}
// <- punctuation.bracket

BEGIN, END, tick-1s
// <- label
//     ^ label
//          ^ label
/x / 2 > 1/
// <- punctuation.special
// ^ operator
//        ^ punctuation.special
{
}

pid$target:libc.so.1:malloc:entry
// <- module
//         ^ namespace
//                   ^ function
//                          ^ label
{
}

read:entry
// <- function
//   ^ label
{
}

genunix:kmem_free:return
// <- namespace
//      ^ function
//                ^ label
{
}

42
// <- number
{
}
