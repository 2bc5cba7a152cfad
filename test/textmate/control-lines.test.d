// SYNTAX TEST "source.dtrace" "control lines: interpreter line, pragmas, #error/#line/#ident, cpp directives"
#!/usr/sbin/dtrace -qs
// <-- comment.line.shebang.dtrace punctuation.definition.comment.shebang.dtrace
//^^^^^^^^^^^^^^^^^^^^ comment.line.shebang.dtrace - meta.predicate.dtrace
#pragma D option quiet
// <- meta.preprocessor.pragma.dtrace keyword.control.directive.pragma.dtrace punctuation.definition.directive.dtrace
// <~------ meta.preprocessor.pragma.dtrace keyword.control.directive.pragma.dtrace
//      ^ meta.preprocessor.pragma.dtrace keyword.other.pragma.namespace.dtrace
//        ^^^^^^ keyword.other.pragma.option.dtrace
//               ^^^^^ meta.preprocessor.pragma.dtrace support.constant.option.dtrace
#pragma D option bufsize=16m
//               ^^^^^^^ support.constant.option.dtrace
//                      ^ keyword.operator.assignment.dtrace
//                       ^^ constant.numeric.option-value.dtrace
//                         ^ keyword.other.unit.dtrace
#pragma D option switchrate=10hz
//               ^^^^^^^^^^ support.constant.option.dtrace
//                          ^^ constant.numeric.option-value.dtrace
//                            ^^ keyword.other.unit.dtrace
#pragma D option bufpolicy=ring
//               ^^^^^^^^^ support.constant.option.dtrace
//                         ^^^^ string.unquoted.option-value.dtrace
#pragma D option aggsortkey
//               ^^^^^^^^^^ support.constant.option.dtrace
#pragma D option strsize = 1024
//               ^^^^^^^ support.constant.option.dtrace
//                         ^^^^ constant.numeric.option-value.dtrace
#pragma D option cpppath="/usr/bin/cpp"
//                       ^^^^^^^^^^^^^^ string.quoted.double.dtrace
   #  pragma   D   option   destructive
// ^ punctuation.definition.directive.dtrace
//                          ^^^^^^^^^^^ support.constant.option.dtrace
#pragma D depends_on provider sched
//        ^^^^^^^^^^ keyword.other.pragma.depends-on.dtrace
//                   ^^^^^^^^ support.constant.dependency-kind.dtrace
//                            ^^^^^ entity.name.namespace.provider.dtrace
#pragma D depends_on module genunix
//                   ^^^^^^ support.constant.dependency-kind.dtrace
//                          ^^^^^^^ entity.name.module.dtrace
#pragma D depends_on library procfs.d
//                   ^^^^^^^ support.constant.dependency-kind.dtrace
//                           ^^^^^^^^ string.unquoted.library.dtrace
#pragma D attributes Evolving/Evolving/ISA provider io provider
//        ^^^^^^^^^^ keyword.other.pragma.attributes.dtrace
//                   ^^^^^^^^ support.constant.stability.dtrace
//                           ^ punctuation.separator.attribute.dtrace
//                                     ^^^ support.constant.dependency-class.dtrace
//                                         ^^^^^^^^ storage.type.provider.dtrace
//                                                  ^^ entity.name.namespace.provider.dtrace
//                                                     ^^^^^^^^ support.constant.attribute-target.dtrace
#pragma D attributes Stable/Private/Common myinline
//                   ^^^^^^ support.constant.stability.dtrace
//                          ^^^^^^^ support.constant.stability.dtrace
//                                  ^^^^^^ support.constant.dependency-class.dtrace
//                                         ^^^^^^^^ variable.other.dtrace
#pragma D binding "1.6.1" myinline
//        ^^^^^^^ keyword.other.pragma.binding.dtrace
//                ^^^^^^^ string.quoted.double.dtrace
#pragma D nonsense here
//        ^^^^^^^^ invalid.illegal.unknown-pragma.dtrace
//                 ^^^^ meta.preprocessor.pragma.dtrace - meta.probe-description.dtrace
#pragma ident "@(#)script.d 1.2"
//      ^^^^^ keyword.other.pragma.ident.dtrace
//            ^^^^^^^^^^^^^^^^^^ string.quoted.double.dtrace
#pragma error "not supported here"
//      ^^^^^ meta.preprocessor.diagnostic.dtrace keyword.other.pragma.error.dtrace
#pragma weak something
//           ^^^^^^^^^ meta.preprocessor.pragma.dtrace - meta.probe-description.dtrace
#error this script needs illumos
// <- meta.preprocessor.diagnostic.dtrace keyword.control.directive.error.dtrace punctuation.definition.directive.dtrace
// <~----- keyword.control.directive.error.dtrace
//     ^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.error.dtrace - storage.modifier.this.dtrace
#line 42 "generated.d"
// <~---- meta.preprocessor.line.dtrace keyword.control.directive.line.dtrace
//    ^^ constant.numeric.integer.decimal.dtrace
//       ^^^^^^^^^^^^^ string.quoted.double.dtrace
# 7 "/tmp/x.d"
// <- meta.preprocessor.line.dtrace punctuation.definition.directive.dtrace
//^ constant.numeric.integer.decimal.dtrace
#ident "$Id: x.d 1 $"
// <~----- meta.preprocessor.ident.dtrace keyword.control.directive.ident.dtrace
//     ^^^^^^^^^^^^^^ string.quoted.double.dtrace - variable.other.macro.named.dtrace
#include <sys/param.h>
// <~------- meta.preprocessor.include.dtrace keyword.control.directive.include.dtrace
//       ^ string.quoted.other.lt-gt.include.dtrace punctuation.definition.string.begin.dtrace
//        ^^^^^^^^^^^ string.quoted.other.lt-gt.include.dtrace
//                   ^ string.quoted.other.lt-gt.include.dtrace punctuation.definition.string.end.dtrace
#include "common.h"
//       ^^^^^^^^^^ meta.preprocessor.include.dtrace string.quoted.double.dtrace
#define MAXLEN 64
// <~------ meta.preprocessor.macro.dtrace keyword.control.directive.define.dtrace
//      ^^^^^^ entity.name.function.preprocessor.dtrace
//             ^^ meta.preprocessor.macro.dtrace constant.numeric.integer.decimal.dtrace
#define KB(x) ((x) / 1024)
//      ^^ entity.name.function.preprocessor.dtrace
//         ^ variable.parameter.preprocessor.dtrace
//                 ^ meta.preprocessor.macro.dtrace keyword.operator.arithmetic.dtrace
#define LONG_ONE(a, b) \
//               ^ variable.parameter.preprocessor.dtrace
//                ^ punctuation.separator.parameters.dtrace
//                     ^ constant.character.escape.line-continuation.dtrace
    ((a) + (b))
//       ^ meta.preprocessor.macro.dtrace keyword.operator.arithmetic.dtrace
#define PROBES syscall::open:entry, fbt:::
//             ^^^^^^^ meta.preprocessor.macro.dtrace meta.probe-description.dtrace entity.name.namespace.provider.dtrace
//                      ^^^^ meta.preprocessor.macro.dtrace entity.name.function.probe.dtrace
//                                  ^^^ meta.probe-description.dtrace entity.name.namespace.provider.dtrace
#define INTERVAL tick-10s
//                    ^^^ meta.preprocessor.macro.dtrace - invalid.illegal
#define PICK(a) (a ? 1 : 0)
//                     ^ meta.preprocessor.macro.dtrace keyword.operator.ternary.dtrace - meta.probe-description.dtrace
#define TRACE_FAILURE(call) \
syscall::call:return /errno != 0/ { @fails[probefunc, errno] = count(); }
// <------- meta.preprocessor.macro.dtrace entity.name.namespace.provider.dtrace
TRACE_FAILURE(openat)
// <------------- meta.function-call.preprocessor.dtrace entity.name.function.preprocessor.dtrace - meta.probe-description.dtrace
//           ^ punctuation.section.parens.begin.dtrace
//            ^^^^^^ meta.function-call.preprocessor.dtrace variable.other.dtrace
//                  ^ punctuation.section.parens.end.dtrace
#undef MAXLEN
// <~----- keyword.control.directive.undef.dtrace
//     ^^^^^^ entity.name.function.preprocessor.dtrace
#if defined(__FreeBSD__) && __SUNW_D_VERSION > 0x01000000
// <~-- meta.preprocessor.conditional.dtrace keyword.control.directive.conditional.dtrace
//  ^^^^^^^ keyword.operator.defined.dtrace
//                       ^^ meta.preprocessor.conditional.dtrace keyword.operator.logical.dtrace
//                                             ^^^^^^^^^^ constant.numeric.integer.hexadecimal.dtrace
#elif defined(__APPLE__)
// <~---- keyword.control.directive.conditional.dtrace
#ifdef __sun
// <~----- keyword.control.directive.conditional.dtrace
//     ^^^^^ entity.name.function.preprocessor.dtrace
#ifndef ARGS
// <~------ keyword.control.directive.conditional.dtrace
#else /* fallback */
// <~---- keyword.control.directive.conditional.dtrace
//    ^^^^^^^^^^^^^^ comment.block.dtrace
#endif
// <~----- keyword.control.directive.conditional.dtrace
#endif
#warning not a D directive
// <~------- meta.preprocessor.dtrace keyword.control.directive.other.dtrace

BEGIN
{
#if X
// <~-- meta.block.dtrace meta.preprocessor.conditional.dtrace keyword.control.directive.conditional.dtrace
    x = 1;
#endif
}
