// SYNTAX TEST "source.dtrace" "probe descriptions: fields, globs, macros, partial forms, lists, ids"

syscall::read:entry
// <------- meta.probe-description.dtrace entity.name.namespace.provider.dtrace
//     ^ meta.probe-description.dtrace punctuation.separator.probe-field.dtrace
//      ^ meta.probe-description.dtrace punctuation.separator.probe-field.dtrace
//       ^^^^ meta.probe-description.dtrace entity.name.function.probe.dtrace
//           ^ meta.probe-description.dtrace punctuation.separator.probe-field.dtrace
//            ^^^^^ meta.probe-description.dtrace entity.name.tag.probe-name.dtrace
{ }

fbt:genunix:kmem_alloc:return
// <--- entity.name.namespace.provider.dtrace
//  ^^^^^^^ entity.name.module.dtrace
//          ^^^^^^^^^^ entity.name.function.probe.dtrace
//                     ^^^^^^ entity.name.tag.probe-name.dtrace - keyword.control.reserved.dtrace
{ }

pid$target:libc.so.1:malloc:entry
// <--- meta.probe-description.dtrace entity.name.namespace.provider.dtrace
// ^ entity.name.namespace.provider.dtrace variable.other.macro.named.dtrace punctuation.definition.variable.dtrace
//  ^^^^^^ entity.name.namespace.provider.dtrace variable.other.macro.named.dtrace
//         ^^^^^^^^^ entity.name.module.dtrace - constant.numeric
//                   ^^^^^^ entity.name.function.probe.dtrace
{ }

syscall::$1:entry
//       ^^ entity.name.function.probe.dtrace variable.other.macro.positional.dtrace
{ }

BEGIN
// <----- meta.probe-description.dtrace entity.name.tag.probe-name.dtrace
{ }

END { }
// <--- meta.probe-description.dtrace entity.name.tag.probe-name.dtrace

dtrace:::ERROR { }
// <------ entity.name.namespace.provider.dtrace
//    ^^^ punctuation.separator.probe-field.dtrace
//       ^^^^^ entity.name.tag.probe-name.dtrace

tick-1s { }
// <------- meta.probe-description.dtrace entity.name.tag.probe-name.dtrace - constant.numeric keyword.operator

profile-997hz { }
// <------------- entity.name.tag.probe-name.dtrace

profile:::tick-10sec { }
// <------- entity.name.namespace.provider.dtrace
//        ^^^^^^^^^^ entity.name.tag.probe-name.dtrace

::read:entry { }
// <-- punctuation.separator.probe-field.dtrace
//^^^^ entity.name.function.probe.dtrace
//     ^^^^^ entity.name.tag.probe-name.dtrace

genunix:kmem_free:entry { }
// <------- entity.name.module.dtrace
//      ^^^^^^^^^ entity.name.function.probe.dtrace
//                ^^^^^ entity.name.tag.probe-name.dtrace

fbt::: { }
// <--- entity.name.namespace.provider.dtrace
// ^^^ punctuation.separator.probe-field.dtrace

syscall::open*:entry { }
//       ^^^^ entity.name.function.probe.dtrace
//           ^ entity.name.function.probe.dtrace keyword.operator.glob.wildcard.dtrace

syscall::?read:entry { }
//       ^ entity.name.function.probe.dtrace keyword.operator.glob.wildcard.dtrace

syscall::[rp]read:entry, syscall::[!w]*:return { }
//       ^^^^ entity.name.function.probe.dtrace keyword.operator.glob.set.dtrace
//                                ^^^^ entity.name.function.probe.dtrace keyword.operator.glob.set.dtrace
//                                    ^ meta.probe-description.dtrace entity.name.function.probe.dtrace keyword.operator.glob.wildcard.dtrace
//                                      ^^^^^^ entity.name.tag.probe-name.dtrace

fbt::\*weird:entry { }
//   ^^ entity.name.function.probe.dtrace constant.character.escape.glob.dtrace

*:::entry { }
// <- entity.name.namespace.provider.dtrace keyword.operator.glob.wildcard.dtrace

syscall::read:entry,
//                 ^ punctuation.separator.comma.dtrace - meta.probe-description.dtrace
syscall::readv:entry,
//       ^^^^^ meta.probe-description.dtrace entity.name.function.probe.dtrace
    syscall::pread*:entry
//  ^^^^^^^ meta.probe-description.dtrace entity.name.namespace.provider.dtrace
//           ^^^^^ entity.name.function.probe.dtrace
{ }

BEGIN, END,
// <----- entity.name.tag.probe-name.dtrace
//     ^^^ entity.name.tag.probe-name.dtrace
tick-5s
// <------- entity.name.tag.probe-name.dtrace
{ }

12345, 6789
// <----- meta.probe-description.dtrace constant.numeric.integer.probe-id.dtrace
//     ^^^^ meta.probe-description.dtrace constant.numeric.integer.probe-id.dtrace
{ }

a:b:c:d:e { }
// <--------- invalid.illegal.probe-description.overspecified.dtrace

proc:::exec-success { }
//     ^^^^^^^^^^^^ entity.name.tag.probe-name.dtrace

syscall::read:entry{ }
//            ^^^^^ entity.name.tag.probe-name.dtrace
//                 ^ meta.block.dtrace punctuation.section.block.begin.dtrace

int:entry { }
// <--- entity.name.function.probe.dtrace - storage.type
