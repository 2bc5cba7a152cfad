/*
 * sched.d -- cpuinfo_t, the processor the sched provider's enqueue and
 * dequeue probes name, and the curcpu, pset, chip and lgrp inlines.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS (osfmk/kern/processor.h): a processor is a struct
 * processor, which the current thread remembers as last_processor.
 * Processor sets, chips and locality groups have no illumos meaning
 * here: cpu_pset and cpu_lgrp read as -1 and 0, cpu_chip as the CPU.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

typedef struct processor_info {
	int pi_state;
	char pi_processor_type[16];
	char pi_fputypes[32];
	int pi_clock;
} processor_info_t;

typedef struct cpuinfo {
	processorid_t cpu_id;
	psetid_t cpu_pset;
	chipid_t cpu_chip;
	lgrp_id_t cpu_lgrp;
	processor_info_t cpu_info;
} cpuinfo_t;

translator cpuinfo_t < struct processor *P > {
	cpu_id = P->cpu_id;
	cpu_pset = -1;
	cpu_chip = P->cpu_id;
	cpu_lgrp = 0;
};

inline cpuinfo_t *curcpu = xlate <cpuinfo_t *> (curthread->last_processor);
#pragma D attributes Stable/Stable/Common curcpu

inline psetid_t pset = curcpu->cpu_pset;
#pragma D attributes Stable/Stable/Common pset
inline chipid_t chip = curcpu->cpu_chip;
#pragma D attributes Stable/Stable/Common chip
inline lgrp_id_t lgrp = curcpu->cpu_lgrp;
#pragma D attributes Stable/Stable/Common lgrp
