// SYNTAX TEST "source.dtrace" "translator and provider definitions"

translator psinfo_t < struct proc *P > {
// <---------- meta.translator.dtrace storage.type.translator.dtrace
//         ^^^^^^^^ meta.translator.dtrace support.type.builtin.dtrace
//                  ^ meta.translator.input.dtrace punctuation.definition.typeparameters.begin.dtrace
//                    ^^^^^^ meta.translator.input.dtrace storage.type.struct.dtrace
//                           ^^^^ meta.translator.input.dtrace entity.name.type.struct.dtrace
//                                ^ storage.modifier.pointer.dtrace
//                                 ^ meta.translator.input.dtrace variable.parameter.translator.dtrace
//                                   ^ punctuation.definition.typeparameters.end.dtrace
//                                     ^ meta.block.translator.dtrace punctuation.section.block.begin.dtrace
    pr_pid = P->p_pid;
//  ^^^^^^ meta.block.translator.dtrace variable.other.member.dtrace
//         ^ keyword.operator.assignment.dtrace
//           ^ variable.other.dtrace
//              ^^^^^ variable.other.member.dtrace
//                   ^ punctuation.terminator.statement.dtrace
    pr_fname = stringof(P->p_comm);
//  ^^^^^^^^ variable.other.member.dtrace
//             ^^^^^^^^ keyword.operator.stringof.dtrace
    pr_ppid = P->p_pptr == NULL ? 0 : P->p_pptr->p_pid;
//                      ^^ keyword.operator.comparison.dtrace
//                         ^^^^ constant.language.null.dtrace
    pr_psargs = xlate <string> (P->p_args);
//              ^^^^^ meta.xlate.dtrace keyword.operator.xlate.dtrace
//                     ^^^^^^ meta.xlate.dtrace storage.type.string.dtrace
};
// <- meta.translator.dtrace punctuation.section.block.end.dtrace
// <~- meta.translator.dtrace punctuation.terminator.statement.dtrace

translator struct devinfo < buf_t *B > { dev_major = getmajor(B->b_edev); };
//         ^^^^^^ meta.translator.dtrace meta.struct.dtrace storage.type.struct.dtrace
//                ^^^^^^^ entity.name.type.struct.dtrace
//                          ^^^^^ meta.translator.input.dtrace support.type.other.dtrace
//                                 ^ variable.parameter.translator.dtrace
//                                       ^^^^^^^^^ variable.other.member.dtrace
//                                                   ^^^^^^^^ support.function.subroutine.dtrace

translator mytype < myin *x >
//         ^^^^^^ meta.translator.dtrace entity.name.type.dtrace
//                  ^^^^ meta.translator.input.dtrace entity.name.type.dtrace
//                        ^ variable.parameter.translator.dtrace
{
// <- meta.translator.dtrace meta.block.translator.dtrace
    a = x->b;
//  ^ variable.other.member.dtrace
};

provider myserver {
// <-------- meta.provider.dtrace storage.type.provider.dtrace
//       ^^^^^^^^ meta.provider.dtrace entity.name.namespace.provider.dtrace
//                ^ meta.block.provider.dtrace punctuation.section.block.begin.dtrace
    probe request__start(int, char *, char *);
//  ^^^^^ meta.probe-declaration.dtrace storage.type.probe.dtrace
//        ^^^^^^^^^^^^^^ meta.probe-declaration.dtrace entity.name.tag.probe-name.dtrace
//                      ^ meta.parameters.dtrace punctuation.section.parameters.begin.dtrace
//                       ^^^ meta.parameters.dtrace storage.type.primitive.dtrace
//                          ^ meta.parameters.dtrace punctuation.separator.comma.dtrace
//                                 ^ meta.parameters.dtrace storage.modifier.pointer.dtrace
//                                          ^ punctuation.section.parameters.end.dtrace
//                                           ^ meta.probe-declaration.dtrace punctuation.terminator.statement.dtrace
    probe conn__close(int fd, uint64_t bytes);
//                        ^^ meta.parameters.dtrace variable.parameter.dtrace
//                            ^^^^^^^^ support.type.builtin.dtrace
//                                     ^^^^^ variable.parameter.dtrace
    probe translated(struct conn *c) : (conninfo_t *c);
//                   ^^^^^^ meta.parameters.dtrace storage.type.struct.dtrace
//                                   ^ meta.probe-declaration.dtrace punctuation.separator.colon.dtrace
//                                      ^^^^^^^^^^ meta.parameters.dtrace support.type.other.dtrace
    probe error(int, string);
//        ^^^^^ entity.name.tag.probe-name.dtrace
//                   ^^^^^^ meta.parameters.dtrace storage.type.string.dtrace
    probe done();
//        ^^^^ entity.name.tag.probe-name.dtrace
};
// <- meta.block.provider.dtrace punctuation.section.block.end.dtrace
// <~- meta.provider.dtrace punctuation.terminator.statement.dtrace

myserver$target:::request-start
// <-------- meta.probe-description.dtrace entity.name.namespace.provider.dtrace
//                ^^^^^^^^^^^^^ entity.name.tag.probe-name.dtrace
{ }
