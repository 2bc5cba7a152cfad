// SYNTAX TEST "source.dtrace" "a complete script: everything together, state carried across clauses"
#!/usr/sbin/dtrace -Cqs
// <-- comment.line.shebang.dtrace punctuation.definition.comment.shebang.dtrace
/*
 * rwlat.d - read/write latency by process; run: rwlat.d -p PID
// ^^^^^^^^^^^^^^^^^^^^ comment.block.dtrace
 */

#pragma D option quiet
//               ^^^^^ support.constant.option.dtrace
#pragma D option dynvarsize=4m
//               ^^^^^^^^^^ support.constant.option.dtrace

#define NSEC_PER_USEC 1000
//      ^^^^^^^^^^^^^ entity.name.function.preprocessor.dtrace

inline int TOP = 10;
//         ^^^ variable.other.constant.inline.dtrace
self uint64_t ts;
//            ^^ variable.other.thread-local.dtrace

dtrace:::BEGIN
//       ^^^^^ entity.name.tag.probe-name.dtrace
{
    printf("Tracing pid %d... Ctrl-C to end.\n", $target);
//                      ^^ constant.other.placeholder.dtrace
//                                          ^^ constant.character.escape.dtrace
//                                               ^^^^^^^ variable.other.macro.named.dtrace
}

syscall::read:entry,
syscall::write:entry
/pid == $target/
{
    self->ts = timestamp;
//        ^^ variable.other.thread-local.dtrace
}

syscall::read:return,
//            ^^^^^^ meta.probe-description.dtrace entity.name.tag.probe-name.dtrace - keyword.control.reserved.dtrace
syscall::write:return
//             ^^^^^^ meta.probe-description.dtrace entity.name.tag.probe-name.dtrace - keyword.control.reserved.dtrace
/self->ts/
// <- meta.predicate.dtrace punctuation.definition.predicate.begin.dtrace
//     ^^ meta.predicate.dtrace variable.other.thread-local.dtrace
//       ^ meta.predicate.dtrace punctuation.definition.predicate.end.dtrace
{
    this->us = (timestamp - self->ts) / NSEC_PER_USEC;
//        ^^ variable.other.clause-local.dtrace
//                                    ^ meta.block.dtrace keyword.operator.arithmetic.dtrace - meta.predicate.dtrace
//                                      ^^^^^^^^^^^^^ variable.other.dtrace
    @lat[probefunc == "read" ? "R" : "W"] = quantize(this->us);
//  ^^^^ variable.other.aggregation.dtrace
//       ^^^^^^^^^ support.variable.builtin.dtrace
//                                          ^^^^^^^^ support.function.aggregation.dtrace
    @bytes[execname] = sum(arg0 > 0 ? arg0 : 0);
//                     ^^^ support.function.aggregation.dtrace
    self->ts = 0;
}

proc:::exit
/pid == $target/
{
    exit(0);
//  ^^^^ support.function.action.dtrace
}

dtrace:::END
{
    trunc(@bytes, TOP);
//  ^^^^^ support.function.action.dtrace
//        ^^^^^^ variable.other.aggregation.dtrace
    printa("%-16s %@d bytes\n", @bytes);
//  ^^^^^^ support.function.action.dtrace
//                ^^^ constant.other.placeholder.dtrace
    printa(@lat);
}
// <- meta.block.dtrace punctuation.section.block.end.dtrace

int after;
// <--- meta.declaration.dtrace storage.type.primitive.dtrace - meta.block.dtrace
