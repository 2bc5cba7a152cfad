// SYNTAX TEST "source.dtrace" "top-level declarations: typedef, struct/union/enum, inline, self/this, arrays"

typedef unsigned long long counter_t;
// <------- meta.declaration.typedef.dtrace keyword.other.typedef.dtrace
//      ^^^^^^^^ meta.declaration.typedef.dtrace storage.type.primitive.dtrace
//               ^^^^ storage.type.primitive.dtrace
//                         ^^^^^^^^^ meta.declaration.typedef.dtrace entity.name.type.typedef.dtrace
//                                  ^ meta.declaration.typedef.dtrace punctuation.terminator.statement.dtrace

typedef struct callstat {
//      ^^^^^^ meta.declaration.typedef.dtrace meta.struct.dtrace storage.type.struct.dtrace
//             ^^^^^^^^ meta.struct.dtrace entity.name.type.struct.dtrace
//                      ^ meta.struct.dtrace meta.block.dtrace punctuation.section.block.begin.dtrace
    counter_t cs_calls;
//  ^^^^^^^^^ meta.block.dtrace support.type.other.dtrace
//            ^^^^^^^^ meta.struct.dtrace meta.block.dtrace variable.other.member.dtrace
    uint64_t cs_last;
//  ^^^^^^^^ support.type.builtin.dtrace
//           ^^^^^^^ variable.other.member.dtrace
    mytype cs_other;
//  ^^^^^^ entity.name.type.dtrace
//         ^^^^^^^^ variable.other.member.dtrace
    enum level cs_level;
//  ^^^^ meta.enum.dtrace storage.type.enum.dtrace
//       ^^^^^ entity.name.type.enum.dtrace
//             ^^^^^^^^ variable.other.member.dtrace
    char *cs_name;
//       ^ storage.modifier.pointer.dtrace
//        ^^^^^^^ variable.other.member.dtrace
    int cs_hist[16];
//      ^^^^^^^ variable.other.member.dtrace
//              ^^ meta.brackets.dtrace constant.numeric.integer.decimal.dtrace
} callstat_t;
// <- meta.struct.dtrace meta.block.dtrace punctuation.section.block.end.dtrace
//^^^^^^^^^^ meta.declaration.typedef.dtrace entity.name.type.typedef.dtrace

struct flags {
// <------ meta.declaration.dtrace meta.struct.dtrace storage.type.struct.dtrace
//     ^^^^^ entity.name.type.struct.dtrace
    unsigned int f_read : 1;
//               ^^^^^^ variable.other.member.dtrace
//                      ^ punctuation.separator.bit-field.dtrace
//                        ^ constant.numeric.integer.decimal.dtrace
    unsigned int f_mode:3, f_spare:28;
//               ^^^^^^ variable.other.member.dtrace
//                     ^^ meta.block.dtrace
//                      ^ constant.numeric.integer.decimal.dtrace
//                         ^^^^^^^ variable.other.member.dtrace
    const volatile int f_const;
//  ^^^^^ storage.modifier.qualifier.dtrace
//        ^^^^^^^^ storage.modifier.qualifier.dtrace
    struct {
//  ^^^^^^ meta.struct.dtrace meta.block.dtrace meta.struct.dtrace storage.type.struct.dtrace
        short inner;
//            ^^^^^ variable.other.member.dtrace
    } nested;
//    ^^^^^^ variable.other.member.dtrace
};
// <~- meta.declaration.dtrace punctuation.terminator.statement.dtrace

union word { uint64_t w_whole; uint8_t w_bytes[8]; } wd;
// <----- meta.union.dtrace storage.type.union.dtrace
//    ^^^^ entity.name.type.union.dtrace
//                    ^^^^^^^ variable.other.member.dtrace
//                                     ^^^^^^^ variable.other.member.dtrace
//                                                   ^^ meta.declaration.dtrace variable.other.global.dtrace

enum level { LOW, MEDIUM = 10, HIGH, CRITICAL = 0x100 };
// <---- meta.declaration.dtrace meta.enum.dtrace storage.type.enum.dtrace
//   ^^^^^ entity.name.type.enum.dtrace
//           ^^^ meta.enum.dtrace meta.block.dtrace variable.other.enummember.dtrace
//              ^ punctuation.separator.comma.dtrace
//                ^^^^^^ variable.other.enummember.dtrace
//                       ^ keyword.operator.assignment.dtrace
//                         ^^ constant.numeric.integer.decimal.dtrace
//                             ^^^^ variable.other.enummember.dtrace
//                                              ^^^^^ constant.numeric.integer.hexadecimal.dtrace

callstat_t stats[string];
// <---------- meta.declaration.dtrace support.type.other.dtrace
//         ^^^^^ meta.declaration.dtrace variable.other.global.dtrace
//               ^^^^^^ meta.brackets.dtrace storage.type.string.dtrace
int counts[string, int];
// <--- meta.declaration.dtrace storage.type.primitive.dtrace
//  ^^^^^^ variable.other.global.dtrace
//        ^ meta.brackets.dtrace punctuation.section.brackets.begin.dtrace
//         ^^^^^^ storage.type.string.dtrace
//                 ^^^ meta.brackets.dtrace storage.type.primitive.dtrace
//                    ^ punctuation.section.brackets.end.dtrace
int histogram[16];
//  ^^^^^^^^^ variable.other.global.dtrace
string lastexec;
// <------ meta.declaration.dtrace storage.type.string.dtrace
//     ^^^^^^^^ variable.other.global.dtrace
struct flags fl;
//           ^^ meta.declaration.dtrace variable.other.global.dtrace
mytype_t *ptr, **pptr;
// <-------- support.type.other.dtrace
//        ^^^ variable.other.global.dtrace
//             ^^ storage.modifier.pointer.dtrace
//               ^^^^ variable.other.global.dtrace
widget w;
// <------ meta.declaration.dtrace entity.name.type.dtrace
//     ^ meta.declaration.dtrace variable.other.global.dtrace
extern int `max_ncpus;
// <------ storage.modifier.storage-class.dtrace
//          ^^^^^^^^^ variable.other.kernel-symbol.dtrace
userland struct foo *up;
// <-------- storage.modifier.userland.dtrace
//                   ^^ variable.other.global.dtrace

self int depth;
// <---- meta.declaration.thread-local.dtrace storage.modifier.self.dtrace
//   ^^^ meta.declaration.thread-local.dtrace storage.type.primitive.dtrace
//       ^^^^^ meta.declaration.thread-local.dtrace variable.other.thread-local.dtrace
self uint64_t start[int];
//            ^^^^^ variable.other.thread-local.dtrace
this string name;
// <---- meta.declaration.clause-local.dtrace storage.modifier.this.dtrace
//   ^^^^^^ storage.type.string.dtrace
//          ^^^^ meta.declaration.clause-local.dtrace variable.other.clause-local.dtrace
this int64_t delta;
//   ^^^^^^^ support.type.builtin.dtrace
//           ^^^^^ variable.other.clause-local.dtrace

inline int MAXDEPTH = 8;
// <------ meta.declaration.inline.dtrace storage.modifier.inline.dtrace
//     ^^^ storage.type.primitive.dtrace
//         ^^^^^^^^ meta.declaration.inline.dtrace variable.other.constant.inline.dtrace
//                  ^ keyword.operator.assignment.dtrace
//                    ^ constant.numeric.integer.decimal.dtrace
//                     ^ punctuation.terminator.statement.dtrace
inline string TAG = "decls";
//     ^^^^^^ storage.type.string.dtrace
//            ^^^ variable.other.constant.inline.dtrace
//                  ^^^^^^^ string.quoted.double.dtrace
inline counter_t BIG = 1ULL << 40;
//               ^^^ variable.other.constant.inline.dtrace
//                          ^^ meta.declaration.inline.dtrace keyword.operator.bitwise.shift.dtrace
inline int STATE_RUN =
//         ^^^^^^^^^ variable.other.constant.inline.dtrace
    curthread->t_state == 2 ? 1 : 0;
//  ^^^^^^^^^ meta.declaration.inline.dtrace support.variable.builtin.dtrace
//             ^^^^^^^ variable.other.member.dtrace
inline string names[int idx] = idx == 0 ? "zero" : "many";
//            ^^^^^ variable.other.constant.inline.dtrace
//                  ^^^ meta.brackets.dtrace storage.type.primitive.dtrace
//                      ^^^ meta.brackets.dtrace
//                             ^^^ variable.other.dtrace - meta.brackets.dtrace

BEGIN
// <----- meta.probe-description.dtrace - meta.declaration.dtrace
{
    x = (counter_t)1;
//       ^^^^^^^^^ meta.parens.dtrace support.type.other.dtrace
}

struct missing { int a; }
BEGIN
{
// <- meta.block.dtrace punctuation.section.block.begin.dtrace - meta.declaration.dtrace
}
