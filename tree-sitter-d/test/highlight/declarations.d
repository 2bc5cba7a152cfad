// Declarations and definitions.
int x;
// <- type.builtin
//  ^ variable
self uint64_t start[int];
// <- keyword.modifier
//   ^ type.builtin
//            ^ variable
this string name;
// <- keyword.modifier
//   ^ type.builtin
const volatile unsigned long long *p;
// <- keyword.modifier
//    ^ keyword.modifier
//             ^ type.builtin
//                      ^ type.builtin
//                                ^ operator
extern kthread_t *panic_thread;
// <- keyword.modifier
//     ^ type

typedef struct point {
// <- keyword.type
//      ^ keyword.type
//             ^ type
//                   ^ punctuation.bracket
  int x;
//    ^ variable.member
  char *name;
//      ^ variable.member
  unsigned int flag : 1;
//             ^ variable.member
//                  ^ punctuation.delimiter
} point_t;
//^ type.definition
typedef int *intp_t;
//           ^ type.definition

enum color { RED, GREEN = 2 };
// <- keyword.type
//   ^ type
//           ^ constant
//                ^ constant
//                      ^ operator
//                        ^ number
union u { int i; };
// <- keyword.type

inline int MAXDEPTH = 10;
// <- keyword
//         ^ constant
inline int ncpu = `ncpus;
//         ^ constant
inline string state[int s] = s == 1 ? "run" : "sleep";
//            ^ function.macro
//                      ^ variable.parameter

translator psinfo_t < struct proc *P > {
// <- keyword
//         ^ type
//                  ^ punctuation.bracket
//                           ^ type
//                                 ^ variable.parameter
//                                   ^ punctuation.bracket
  pr_pid = P->p_pid;
//^ variable.member
//       ^ operator
};

provider myapp {
// <- keyword
//       ^ module
  probe request__start(int id, char *url) : (int, string);
//^ keyword
//      ^ label
//                         ^ variable.parameter
//                                   ^ variable.parameter
//                                        ^ punctuation.delimiter
  probe done(int, ...);
//                ^ punctuation.special
};
