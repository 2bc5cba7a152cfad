// SYNTAX TEST "source.dtrace" "comments and backquoted kernel symbols"

/* a block comment */
// <-- comment.block.dtrace punctuation.definition.comment.begin.dtrace
// ^^^^^^^^^^^^^^^ comment.block.dtrace
//                 ^^ comment.block.dtrace punctuation.definition.comment.end.dtrace

/*
 * syscall::read:entry is not a probe description in here, nor is return
// ^^^^^^^^^^^^^^^^^^^ comment.block.dtrace - meta.probe-description.dtrace
//                                                                ^^^^^^ comment.block.dtrace - keyword.control.reserved.dtrace
 */
// <~-- comment.block.dtrace punctuation.definition.comment.end.dtrace

BEGIN // a line comment (valid when the script goes through cpp)
//    ^^ comment.line.double-slash.dtrace punctuation.definition.comment.dtrace
//       ^^^^^^^^^^^^^^ comment.line.double-slash.dtrace
{
    x = 1; /* trailing */ y = 2; // end
//         ^^^^^^^^^^^^^^ meta.block.dtrace comment.block.dtrace
//                        ^ meta.block.dtrace variable.other.dtrace - comment
//                               ^^^^^^ meta.block.dtrace comment.line.double-slash.dtrace
    z = a /* inside */ + b;
//                     ^ keyword.operator.arithmetic.dtrace - comment
    s = "/* not a comment */";
//       ^^^^^^^^^^^^^^^^^^^ string.quoted.double.dtrace - comment
}

BEGIN
{
    n = `max_ncpus;
//      ^ meta.kernel-symbol.dtrace punctuation.separator.scope.backquote.dtrace
//       ^^^^^^^^^ meta.kernel-symbol.dtrace variable.other.kernel-symbol.dtrace
    m = genunix`kmem_flags + unix`hz;
//      ^^^^^^^ meta.kernel-symbol.dtrace entity.name.module.dtrace
//             ^ punctuation.separator.scope.backquote.dtrace
//              ^^^^^^^^^^ variable.other.kernel-symbol.dtrace
//         ^^^^ entity.name.module.dtrace
//                                ^^ variable.other.kernel-symbol.dtrace
    p = &`panicstr;
//        ^^^^^^^^ variable.other.kernel-symbol.dtrace
    q = (struct genunix`proc *)arg0;
//              ^^^^^^^^^^^^ entity.name.type.struct.dtrace
    r = `kmem_flags->x;
//                   ^ variable.other.member.dtrace
}
