// SYNTAX TEST "source.dtrace" "clause bodies: statements, if/else, reserved words, variables, aggregations"

syscall::read:entry
{
    self->ts = timestamp;
//  ^^^^ meta.block.dtrace variable.language.self.dtrace
//      ^^ meta.block.dtrace punctuation.accessor.arrow.dtrace
//        ^^ meta.block.dtrace variable.other.thread-local.dtrace
//           ^ keyword.operator.assignment.dtrace
//                      ^ meta.block.dtrace punctuation.terminator.statement.dtrace
    this->fd = arg0;
//  ^^^^ variable.language.this.dtrace
//        ^^ variable.other.clause-local.dtrace
    self->buf[arg0, tid] = this->fd;
//        ^^^ variable.other.thread-local.dtrace
//           ^ meta.brackets.dtrace punctuation.section.brackets.begin.dtrace
//                     ^ meta.brackets.dtrace punctuation.section.brackets.end.dtrace
//                               ^^ variable.other.clause-local.dtrace
    self -> spaced = 1;
//          ^^^^^^ variable.other.thread-local.dtrace
    total = total + 1;
//  ^^^^^ variable.other.dtrace
    sizes[probefunc] = arg2;
//  ^^^^^ variable.other.dtrace
    @counts[execname, probefunc] = count();
//  ^ variable.other.aggregation.dtrace punctuation.definition.aggregation.dtrace
//   ^^^^^^ variable.other.aggregation.dtrace
//          ^^^^^^^^ meta.brackets.dtrace support.variable.builtin.dtrace
//                                 ^^^^^ support.function.aggregation.dtrace
    @ = count();
//  ^ variable.other.aggregation.dtrace
    @[probefunc] = quantize(arg2);
//  ^ variable.other.aggregation.dtrace
//                 ^^^^^^^^ support.function.aggregation.dtrace
    @_ = sum(1);
//  ^^ variable.other.aggregation.dtrace
    trace(self->ts)
//  ^^^^^ support.function.action.dtrace
//              ^^ variable.other.thread-local.dtrace
}

syscall::read:return
{
    if (arg0 < 0) {
//  ^^ meta.block.dtrace keyword.control.conditional.dtrace
//     ^ meta.parens.dtrace punctuation.section.parens.begin.dtrace
//                ^ meta.block.dtrace meta.block.dtrace punctuation.section.block.begin.dtrace
        @errs[errno] = count();
//            ^^^^^ meta.block.dtrace meta.block.dtrace meta.brackets.dtrace support.variable.builtin.dtrace
    } else if (arg0 == 0) {
//  ^ meta.block.dtrace meta.block.dtrace punctuation.section.block.end.dtrace
//    ^^^^ keyword.control.conditional.dtrace
//         ^^ keyword.control.conditional.dtrace
        eof++;
//         ^^ keyword.operator.increment.dtrace
    } else
//    ^^^^ keyword.control.conditional.dtrace
        bytes += arg0;
//            ^^ keyword.operator.assignment.compound.dtrace
}
// <- meta.block.dtrace punctuation.section.block.end.dtrace

BEGIN
{
    for (i = 0; i < 10; i++) { }
//  ^^^ keyword.control.reserved.dtrace
    while (1) { }
//  ^^^^^ keyword.control.reserved.dtrace
    do { } while (0);
//  ^^ keyword.control.reserved.dtrace
    switch (x) { case 1: break; default: continue; }
//  ^^^^^^ keyword.control.reserved.dtrace
//               ^^^^ keyword.control.reserved.dtrace
//                       ^^^^^ keyword.control.reserved.dtrace
//                              ^^^^^^^ keyword.control.reserved.dtrace
//                                       ^^^^^^^^ keyword.control.reserved.dtrace
    goto out;
//  ^^^^ keyword.control.reserved.dtrace
    return;
//  ^^^^^^ keyword.control.reserved.dtrace
    import foo;
//  ^^^^^^ keyword.control.reserved.dtrace
    counter = 1;
//  ^^^^^^^ keyword.control.reserved.dtrace
    returned = forward + doing;
//  ^^^^^^^^ variable.other.dtrace - keyword.control.reserved.dtrace
//             ^^^^^^^ variable.other.dtrace - keyword.control.reserved.dtrace
}

BEGIN
{
    s = curpsinfo->pr_psargs;
//      ^^^^^^^^^ support.variable.builtin.dtrace
//                 ^^^^^^^^^ variable.other.member.dtrace
    n = x->string;
//         ^^^^^^ variable.other.member.dtrace - storage.type.string.dtrace
    p = x.probe + x->self + y.provider + z->userland + w.translator;
//        ^^^^^ variable.other.member.dtrace - storage.type
//                   ^^^^ variable.other.member.dtrace - variable.language.self.dtrace
//                            ^^^^^^^^ variable.other.member.dtrace
//                                          ^^^^^^^^ variable.other.member.dtrace
//                                                       ^^^^^^^^^^ variable.other.member.dtrace
//       ^ punctuation.accessor.dot.dtrace
    q = curthread->t_procp->p_pidp->pid_id;
//                 ^^^^^^^ variable.other.member.dtrace
//                                  ^^^^^^ variable.other.member.dtrace
    r = args[0]->b_flags & B_READ ? "R" : "W";
//      ^^^^ support.variable.builtin.dtrace
//               ^^^^^^^ variable.other.member.dtrace
//                         ^^^^^^ variable.other.dtrace
//                       ^ keyword.operator.bitwise.dtrace
//                                ^ keyword.operator.ternary.dtrace
//                                      ^ keyword.operator.ternary.dtrace
    self->ts = 0;
    ;
//  ^ punctuation.terminator.statement.dtrace
}

BEGIN { x = 1 }
//    ^ punctuation.section.block.begin.dtrace
//            ^ punctuation.section.block.end.dtrace

BEGIN {}
//    ^^ meta.block.dtrace
