// SYNTAX TEST "source.dtrace" "literals: strings, escapes, printf conversions, character constants, integers, floats"

BEGIN
{
    s = "plain text";
//      ^ string.quoted.double.dtrace punctuation.definition.string.begin.dtrace
//       ^^^^^^^^^^ meta.block.dtrace string.quoted.double.dtrace
//                 ^ string.quoted.double.dtrace punctuation.definition.string.end.dtrace
    s = "\n\t\\\"\a\b\f\r\v";
//       ^^ string.quoted.double.dtrace constant.character.escape.dtrace
//         ^^ constant.character.escape.dtrace
//           ^^ constant.character.escape.dtrace
//             ^^ constant.character.escape.dtrace
//               ^^ constant.character.escape.dtrace
//                 ^^ constant.character.escape.dtrace
//                   ^^ constant.character.escape.dtrace
//                     ^^ constant.character.escape.dtrace
//                       ^^ constant.character.escape.dtrace
//                         ^ punctuation.definition.string.end.dtrace
    s = "octal \012 \0 \101 hex \x1b \x7F";
//             ^^^^ constant.character.escape.octal.dtrace
//             ^^ constant.character.escape.octal.dtrace
//                     ^^^^ constant.character.escape.octal.dtrace
//                              ^^^^ constant.character.escape.hex.dtrace
//                                   ^^^^ constant.character.escape.hex.dtrace
    s = "\q is kept literally";
//       ^^ string.quoted.double.dtrace - constant.character.escape
    printf("%d %i %u %o %x %X %c %s\n", a, b, c, d, e, f, g, h);
//          ^^ string.quoted.double.dtrace constant.other.placeholder.dtrace
//             ^^ constant.other.placeholder.dtrace
//                ^^ constant.other.placeholder.dtrace
//                   ^^ constant.other.placeholder.dtrace
//                      ^^ constant.other.placeholder.dtrace
//                         ^^ constant.other.placeholder.dtrace
//                            ^^ constant.other.placeholder.dtrace
//                               ^^ constant.other.placeholder.dtrace
    printf("%-16s|%5d|%05x|%+d|% d|%#o\n", a, b, c, d, e, f);
//          ^^^^^ constant.other.placeholder.dtrace
//               ^ string.quoted.double.dtrace - constant.other.placeholder.dtrace
//                ^^^ constant.other.placeholder.dtrace
//                    ^^^^ constant.other.placeholder.dtrace
//                         ^^^ constant.other.placeholder.dtrace
//                             ^^^ constant.other.placeholder.dtrace
//                                 ^^^ constant.other.placeholder.dtrace
    printf("%lld %llu %lx %hd %5.2f %e %g %*d %.*s\n", a, b, c, d, e, f, g, 4, h, 2, i);
//          ^^^^ constant.other.placeholder.dtrace
//               ^^^^ constant.other.placeholder.dtrace
//                    ^^^ constant.other.placeholder.dtrace
//                        ^^^ constant.other.placeholder.dtrace
//                            ^^^^^ constant.other.placeholder.dtrace
//                                  ^^ constant.other.placeholder.dtrace
//                                     ^^ constant.other.placeholder.dtrace
//                                        ^^^ constant.other.placeholder.dtrace
//                                            ^^^^ constant.other.placeholder.dtrace
    printf("%Y %T %S %a %A %p %P %k %wc %ws 100%%\n", walltimestamp, a, b, c, d, e, f, g, h, i);
//          ^^ constant.other.placeholder.dtrace
//             ^^ constant.other.placeholder.dtrace
//                ^^ constant.other.placeholder.dtrace
//                   ^^ constant.other.placeholder.dtrace
//                      ^^ constant.other.placeholder.dtrace
//                         ^^ constant.other.placeholder.dtrace
//                            ^^ constant.other.placeholder.dtrace
//                               ^^ constant.other.placeholder.dtrace
//                                  ^^^ constant.other.placeholder.dtrace
//                                      ^^^ constant.other.placeholder.dtrace
//                                             ^^ constant.other.placeholder.dtrace
    printa("%-20s %@8d %@u\n", @counts);
//          ^^^^^ constant.other.placeholder.dtrace
//                ^^^^ constant.other.placeholder.dtrace
//                     ^^^ constant.other.placeholder.dtrace
//                             ^^^^^^^ variable.other.aggregation.dtrace - string
    s = "50%!";
//         ^^ string.quoted.double.dtrace - constant.other.placeholder.dtrace
    c = 'A';
//      ^^^ string.quoted.single.dtrace
//      ^ punctuation.definition.string.begin.dtrace
//        ^ punctuation.definition.string.end.dtrace
    c = '\n' + '\0' + '\'' + '\\' + '\x41' + '\101';
//       ^^ string.quoted.single.dtrace constant.character.escape.dtrace
//              ^^ string.quoted.single.dtrace constant.character.escape.octal.dtrace
//                     ^^ string.quoted.single.dtrace constant.character.escape.dtrace
//                            ^^ string.quoted.single.dtrace constant.character.escape.dtrace
//                                   ^^^^ string.quoted.single.dtrace constant.character.escape.hex.dtrace
//                                            ^^^^ string.quoted.single.dtrace constant.character.escape.octal.dtrace
    m = 'ab';
//      ^^^^ string.quoted.single.dtrace
    n = 1234 + 0 + 0755 + 0xdeadBEEF + 0X1F;
//      ^^^^ constant.numeric.integer.decimal.dtrace
//             ^ constant.numeric.integer.decimal.dtrace
//                 ^^^^ constant.numeric.integer.octal.dtrace
//                        ^^^^^^^^^^ constant.numeric.integer.hexadecimal.dtrace
//                                     ^^^^ constant.numeric.integer.hexadecimal.dtrace
    n = 42u + 100L + 4096UL + 9223372036854775807LL + 0xffULL + 0777ul + 7ll + 8lu;
//      ^^ constant.numeric.integer.decimal.dtrace - keyword.other.unit.suffix.integer.dtrace
//        ^ constant.numeric.integer.decimal.dtrace keyword.other.unit.suffix.integer.dtrace
//               ^ keyword.other.unit.suffix.integer.dtrace
//                       ^^ keyword.other.unit.suffix.integer.dtrace
//                            ^^^^^^^^^^^^^^^^^^^ constant.numeric.integer.decimal.dtrace
//                                               ^^ keyword.other.unit.suffix.integer.dtrace
//                                                        ^^^ constant.numeric.integer.hexadecimal.dtrace keyword.other.unit.suffix.integer.dtrace
//                                                              ^^^^ constant.numeric.integer.octal.dtrace
//                                                                  ^^ constant.numeric.integer.octal.dtrace keyword.other.unit.suffix.integer.dtrace
//                                                                        ^^ keyword.other.unit.suffix.integer.dtrace
//                                                                             ^^^ invalid.illegal.numeric.dtrace
    n = 089;
//      ^^^ invalid.illegal.numeric.octal.dtrace
    n = 10s + 0x1g + 12abc;
//      ^^^ invalid.illegal.numeric.dtrace
//            ^^^^ invalid.illegal.numeric.dtrace
//                   ^^^^^ invalid.illegal.numeric.dtrace
    f = 1.5 + .5 + 2. + 1e10 + 3.0e-2 + 2.5f;
//      ^^^ constant.numeric.float.dtrace invalid.illegal.float.dtrace
//       ^^ constant.numeric.float.dtrace
//                 ^^ constant.numeric.float.dtrace
//                      ^^^^ constant.numeric.float.dtrace
//                             ^^^^^^ constant.numeric.float.dtrace
//                                      ^^^^ constant.numeric.float.dtrace
    v = arg0 + x1 + a2b;
//         ^ support.variable.builtin.dtrace - constant.numeric
//              ^ variable.other.dtrace - constant.numeric
//                   ^ variable.other.dtrace - constant.numeric
    s = "unterminated
//       ^^^^^^^^^^^^ string.quoted.double.dtrace
    t = 1;
//  ^ variable.other.dtrace - string
}
