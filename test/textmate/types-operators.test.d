// SYNTAX TEST "source.dtrace" "types in expressions, casts, sizeof/offsetof/stringof/xlate, operators"

BEGIN
{
    a = (int)arg0 + (unsigned long long)arg1 + (char)c + (short)s + (signed)x;
//       ^^^ meta.parens.dtrace storage.type.primitive.dtrace
//                   ^^^^^^^^ storage.type.primitive.dtrace
//                            ^^^^ storage.type.primitive.dtrace
//                                              ^^^^ storage.type.primitive.dtrace
//                                                        ^^^^^ storage.type.primitive.dtrace
//                     ^^^^^^ storage.type.primitive.dtrace
    b = (string)arg0;
//       ^^^^^^ meta.parens.dtrace storage.type.string.dtrace
    c = (struct proc *)curthread->t_procp;
//       ^^^^^^ meta.parens.dtrace meta.struct.dtrace storage.type.struct.dtrace
//              ^^^^ entity.name.type.struct.dtrace
    d = (uint32_t)x + (void *)p + (float)f + (double)g;
//       ^^^^^^^^ support.type.builtin.dtrace
//                     ^^^^ storage.type.primitive.dtrace
//                                 ^^^^^ storage.type.primitive.dtrace
//                                            ^^^^^^ storage.type.primitive.dtrace
    e = sizeof (struct flags) + sizeof(int) + sizeof x;
//      ^^^^^^ keyword.operator.sizeof.dtrace
//                     ^^^^^ entity.name.type.struct.dtrace
//                              ^^^^^^ keyword.operator.sizeof.dtrace
    f = offsetof(struct callstat, cs_bytes);
//      ^^^^^^^^ keyword.operator.offsetof.dtrace
//                      ^^^^^^^^ entity.name.type.struct.dtrace
//                                ^^^^^^^^ variable.other.dtrace
    g = stringof(arg0) + stringof curpsinfo->pr_fname;
//      ^^^^^^^^ keyword.operator.stringof.dtrace
//                       ^^^^^^^^ keyword.operator.stringof.dtrace
    h = xlate<psinfo_t *>(curthread)->pr_pid;
//      ^^^^^ meta.xlate.dtrace keyword.operator.xlate.dtrace
//           ^ meta.xlate.dtrace punctuation.definition.typeparameters.begin.dtrace
//            ^^^^^^^^ meta.xlate.dtrace support.type.builtin.dtrace
//                     ^ meta.xlate.dtrace storage.modifier.pointer.dtrace
//                      ^ meta.xlate.dtrace punctuation.definition.typeparameters.end.dtrace
//                                    ^^^^^^ variable.other.member.dtrace
    i = xlate <struct devinfo *> (args[0])->dev_name;
//                    ^^^^^^^ meta.xlate.dtrace entity.name.type.struct.dtrace
    j = (enum level)1;
//       ^^^^ meta.enum.dtrace storage.type.enum.dtrace
//            ^^^^^ entity.name.type.enum.dtrace
    k = (userland struct stat *)arg1;
//       ^^^^^^^^ storage.modifier.userland.dtrace
    l = (const char *)p;
//       ^^^^^ storage.modifier.qualifier.dtrace
}

BEGIN
{
    r = a + b - c * d / e % f;
//        ^ keyword.operator.arithmetic.dtrace
//            ^ keyword.operator.arithmetic.dtrace
//                ^ keyword.operator.arithmetic.dtrace
//                    ^ keyword.operator.arithmetic.dtrace
//                        ^ keyword.operator.arithmetic.dtrace
    r = a << 3 | b >> 2 & ~c ^ d;
//        ^^ keyword.operator.bitwise.shift.dtrace
//             ^ keyword.operator.bitwise.dtrace
//                 ^^ keyword.operator.bitwise.shift.dtrace
//                      ^ keyword.operator.bitwise.dtrace
//                        ^ keyword.operator.bitwise.dtrace
//                           ^ keyword.operator.bitwise.dtrace
    r = a && b || !c ^^ d;
//        ^^ keyword.operator.logical.dtrace
//             ^^ keyword.operator.logical.dtrace
//                ^ keyword.operator.logical.dtrace
//                   ^^ keyword.operator.logical.xor.dtrace
    r = a == b != c < d <= e > f >= g;
//        ^^ keyword.operator.comparison.dtrace
//             ^^ keyword.operator.comparison.dtrace
//                  ^ keyword.operator.relational.dtrace
//                      ^^ keyword.operator.relational.dtrace
//                           ^ keyword.operator.relational.dtrace
//                               ^^ keyword.operator.relational.dtrace
    x += 1; x -= 1; x *= 2; x /= 2; x %= 3; x &= 1; x |= 2; x ^= 4; x <<= 1; x >>= 1;
//    ^^ keyword.operator.assignment.compound.dtrace
//            ^^ keyword.operator.assignment.compound.dtrace
//                    ^^ keyword.operator.assignment.compound.dtrace
//                            ^^ keyword.operator.assignment.compound.dtrace
//                                    ^^ keyword.operator.assignment.compound.dtrace
//                                            ^^ keyword.operator.assignment.compound.dtrace
//                                                    ^^ keyword.operator.assignment.compound.dtrace
//                                                            ^^ keyword.operator.assignment.compound.dtrace
//                                                                    ^^^ keyword.operator.assignment.compound.dtrace
//                                                                             ^^^ keyword.operator.assignment.compound.dtrace
    z = x++ + ++x - x-- - --x;
//       ^^ keyword.operator.increment.dtrace
//                   ^^ keyword.operator.decrement.dtrace
    p = &x; q = *p;
//      ^ keyword.operator.bitwise.dtrace
    t = a > b ? a : b;
//            ^ keyword.operator.ternary.dtrace
//                ^ keyword.operator.ternary.dtrace
    u = (a, b);
//        ^ meta.parens.dtrace punctuation.separator.comma.dtrace
}
