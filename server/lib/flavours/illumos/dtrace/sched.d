/*
 * sched.d -- cpuinfo_t, the processor the sched provider's probes name,
 * and the curcpu, pset, chip and lgrp inlines.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos: a processor is its cpu_t (kernel.d).
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

typedef struct cpuinfo {
	processorid_t cpu_id;
	psetid_t cpu_pset;
	chipid_t cpu_chip;
	lgrp_id_t cpu_lgrp;
	processor_info_t cpu_info;
} cpuinfo_t;

translator cpuinfo_t < cpu_t *C > {
	cpu_id = C->cpu_id;
	cpu_pset = C->cpu_part == NULL ? -1 : C->cpu_part->cp_id;
	cpu_chip = C->cpu_chip;
	cpu_lgrp = C->cpu_lgrp;
	cpu_info = C->cpu_type_info;
};

inline cpuinfo_t *curcpu = xlate <cpuinfo_t *> (curthread->t_cpu);
#pragma D attributes Stable/Stable/Common curcpu

/* The current CPU's processor set, chip and locality group. */
inline psetid_t pset = curcpu->cpu_pset;
#pragma D attributes Stable/Stable/Common pset
inline chipid_t chip = curcpu->cpu_chip;
#pragma D attributes Stable/Stable/Common chip
inline lgrp_id_t lgrp = curcpu->cpu_lgrp;
#pragma D attributes Stable/Stable/Common lgrp
