// SYNTAX TEST "source.dtrace" "macro variables: $0, $1, $$1, $target, $pid, ... in expressions and probe descriptions"

syscall::$1:entry
//       ^ meta.probe-description.dtrace entity.name.function.probe.dtrace variable.other.macro.positional.dtrace punctuation.definition.variable.dtrace
//        ^ entity.name.function.probe.dtrace variable.other.macro.positional.dtrace
/pid == $target/
//      ^ meta.predicate.dtrace variable.other.macro.named.dtrace punctuation.definition.variable.dtrace
//       ^^^^^^ meta.predicate.dtrace variable.other.macro.named.dtrace
{
    printf("%s %s\n", $$1, $$2);
//                    ^^ variable.other.macro.positional.dtrace punctuation.definition.variable.dtrace
//                    ^^^ variable.other.macro.positional.dtrace
//                         ^^^ variable.other.macro.positional.dtrace
    x = $0;
//      ^^ variable.other.macro.positional.dtrace
    y = $2 + $10;
//      ^^ variable.other.macro.positional.dtrace
//           ^^^ variable.other.macro.positional.dtrace - constant.numeric
    z = $pid + $ppid + $uid + $gid + $euid + $egid;
//      ^^^^ variable.other.macro.named.dtrace - support.variable.builtin.dtrace
//             ^^^^^ variable.other.macro.named.dtrace - support.variable.builtin.dtrace
//                     ^^^^ variable.other.macro.named.dtrace
//                            ^^^^ variable.other.macro.named.dtrace
//                                   ^^^^^ variable.other.macro.named.dtrace
//                                           ^^^^^ variable.other.macro.named.dtrace
    w = $pgid + $projid + $sid + $taskid;
//      ^^^^^ variable.other.macro.named.dtrace
//              ^^^^^^^ variable.other.macro.named.dtrace
//                        ^^^^ variable.other.macro.named.dtrace
//                               ^^^^^^^ variable.other.macro.named.dtrace
    s = $$target;
//      ^^ punctuation.definition.variable.dtrace
//        ^^^^^^ variable.other.macro.named.dtrace
}

pid$target::$$2:entry, pid$1:a.out::return
// ^^^^^^^ entity.name.namespace.provider.dtrace variable.other.macro.named.dtrace
//          ^^^ entity.name.function.probe.dtrace variable.other.macro.positional.dtrace
//                        ^^ entity.name.namespace.provider.dtrace variable.other.macro.positional.dtrace
//                           ^^^^^ entity.name.module.dtrace
//                                  ^^^^^^ entity.name.tag.probe-name.dtrace
{ }

profile-$1 { }
// <-------- entity.name.tag.probe-name.dtrace - variable.other.macro
//      ^^ entity.name.tag.probe-name.dtrace variable.other.macro.positional.dtrace

inline int LIMIT = $1;
//                 ^^ meta.declaration.inline.dtrace variable.other.macro.positional.dtrace
