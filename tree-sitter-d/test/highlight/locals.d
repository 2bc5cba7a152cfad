// References take the highlight of the definition they resolve to (queries/locals.scm).
inline int limit = 10;
//         ^ constant
int total;
struct s {
  int total;
//    ^ variable.member
};

translator info_t < struct proc *P > {
//                               ^ variable.parameter
  pid = P->p_pid;
//      ^ variable.parameter
};

BEGIN
{
  total = limit + 1;
//^ variable
//        ^ constant
  P = 0;
//^ constant
}
