/*
 * sched.d -- cpuinfo_t, the processor the sched provider's enqueue and
 * dequeue probes name, and the curcpu, pset, chip and lgrp inlines.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD: a processor is its struct pcpu. FreeBSD has no
 * processor sets, chips or locality groups in the illumos sense, so
 * those members read as -1 (0 for the chip) on every CPU.
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

translator cpuinfo_t < struct pcpu *P > {
	cpu_id = P->pc_cpuid;
	cpu_pset = -1;
	cpu_chip = 0;
	cpu_lgrp = P->pc_domain;
};

/* The processor running the current thread. */
inline cpuinfo_t *curcpu = xlate <cpuinfo_t *> (&`cpuid_to_pcpu[cpu]);
#pragma D attributes Stable/Stable/Common curcpu

/* The current CPU's processor set, chip and locality group. */
inline psetid_t pset = curcpu->cpu_pset;
#pragma D attributes Stable/Stable/Common pset
inline chipid_t chip = curcpu->cpu_chip;
#pragma D attributes Stable/Stable/Common chip
inline lgrp_id_t lgrp = curcpu->cpu_lgrp;
#pragma D attributes Stable/Stable/Common lgrp
