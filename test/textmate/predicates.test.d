// SYNTAX TEST "source.dtrace" "predicates: delimiters, division vs the closing slash, free-form layout"

syscall::read:entry
/pid == $target/
// <- meta.predicate.dtrace punctuation.definition.predicate.begin.dtrace
// <~--- meta.predicate.dtrace support.variable.builtin.dtrace
//   ^^ meta.predicate.dtrace keyword.operator.comparison.dtrace
//      ^^^^^^^ meta.predicate.dtrace variable.other.macro.named.dtrace
//             ^ meta.predicate.dtrace punctuation.definition.predicate.end.dtrace
{
// <- meta.block.dtrace punctuation.section.block.begin.dtrace - meta.predicate.dtrace
}

BEGIN /x / 2 > 1/ { }
//    ^ punctuation.definition.predicate.begin.dtrace
//       ^ meta.predicate.dtrace keyword.operator.arithmetic.dtrace - punctuation.definition.predicate.end.dtrace
//         ^ meta.predicate.dtrace constant.numeric.integer.decimal.dtrace
//              ^ meta.predicate.dtrace punctuation.definition.predicate.end.dtrace
//                ^ meta.block.dtrace - meta.predicate.dtrace

BEGIN /a/b/{ }
//     ^ meta.predicate.dtrace variable.other.dtrace
//      ^ keyword.operator.arithmetic.dtrace
//        ^ punctuation.definition.predicate.end.dtrace

BEGIN /arg0 / 1000 >= 5 && arg1 /2 != 0/
//          ^ keyword.operator.arithmetic.dtrace
//                              ^ keyword.operator.arithmetic.dtrace
//                                     ^ punctuation.definition.predicate.end.dtrace
{ }

tick-1s
/(timestamp - start) / 1000000000 > 10/
// <~- meta.predicate.dtrace meta.parens.dtrace punctuation.section.parens.begin.dtrace
//                   ^ keyword.operator.arithmetic.dtrace
//                                    ^ punctuation.definition.predicate.end.dtrace
{ }

BEGIN /(x /
//        ^ meta.predicate.dtrace meta.parens.dtrace keyword.operator.arithmetic.dtrace - punctuation.definition.predicate.end.dtrace
    2) > 1/ { }
//   ^ meta.predicate.dtrace punctuation.section.parens.end.dtrace
//        ^ punctuation.definition.predicate.end.dtrace

BEGIN /x/ /* the closing slash may be followed by a comment */
//      ^ punctuation.definition.predicate.end.dtrace
//        ^^ comment.block.dtrace punctuation.definition.comment.begin.dtrace - meta.predicate.dtrace
{ }

syscall::write:entry /execname == "sshd"/;
//                                      ^ punctuation.definition.predicate.end.dtrace
//                                       ^ punctuation.terminator.statement.dtrace - meta.predicate.dtrace

syscall::write:entry /fds[arg0].fi_fs == "zfs"/
//                       ^ meta.predicate.dtrace meta.brackets.dtrace punctuation.section.brackets.begin.dtrace
//                              ^^^^^ meta.predicate.dtrace variable.other.member.dtrace
//                                       ^^^^^ meta.predicate.dtrace string.quoted.double.dtrace
//                                            ^ punctuation.definition.predicate.end.dtrace
{ }

syscall::read:return
/self->ts && (this->n = arg0) > 0/
// <~---- meta.predicate.dtrace variable.language.self.dtrace
//     ^^ meta.predicate.dtrace variable.other.thread-local.dtrace
//                  ^ meta.predicate.dtrace variable.other.clause-local.dtrace
{ }

proc:::exec-success
/
// <- meta.predicate.dtrace punctuation.definition.predicate.begin.dtrace
    execname == "ls" ||
//  ^^^^^^^^ meta.predicate.dtrace support.variable.builtin.dtrace
//                   ^^ meta.predicate.dtrace keyword.operator.logical.dtrace
    execname == "cat"
//              ^^^^^ meta.predicate.dtrace string.quoted.double.dtrace
/
// <- meta.predicate.dtrace punctuation.definition.predicate.end.dtrace
{
// <- meta.block.dtrace punctuation.section.block.begin.dtrace
    trace(execname);
}

BEGIN /x/
//      ^ punctuation.definition.predicate.end.dtrace
/* a comment line between predicate and body */
// <-- comment.block.dtrace - meta.predicate.dtrace
{ }

BEGIN { y = x / 2; }
//            ^ meta.block.dtrace keyword.operator.arithmetic.dtrace - meta.predicate.dtrace

BEGIN /x > 1
{ }
// <- meta.block.dtrace punctuation.section.block.begin.dtrace - meta.predicate.dtrace
