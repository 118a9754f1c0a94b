// SPDX-License-Identifier: GPL-2.0
/*
 * cpu_binding_test.c - binding threads to a machine's CPUs: one thread per model CPU
 * (cpu_bind, cpu_bind_many and their failures), a destroyed machine refused, a machine
 * too big for the host, model CPUs pinned to host CPUs, and liburcu's membarrier need.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "alloc/rcu.h"
#include "pcp/pcp.h"

static int bind_result;
static void *bind_other(void *arg)
{
	struct machine *m = arg;
	bind_result = cpu_bind(m, 0) * 10 + cpu_bind(m, 1);
	cpu_unbind();
	return NULL;
}

/*
 * A CPU is bound to one thread at a time; another thread gets -1 and a message, and can
 * bind a free CPU; binding a CPU the machine lacks fails.
 *
 * Expect: the other thread's binds give -1 then 0; "cpu_bind: CPU 0 is already bound to
 * another thread"; after cpu_unbind CPU 0 is free again.
 */
static void cpu_binding(void)
{
	struct machine *m = t_machine_flat(0, 8192, 2, PCP_POLICY_LINUX_4_12, 0);
	char *buf = NULL;
	size_t len = 0;
	pthread_t t;

	CHECK_EQ(cpu_bind(m, 0), 0);
	CHECK_EQ(smp_processor_id(), 0);
	m->report = open_memstream(&buf, &len);
	pthread_create(&t, NULL, bind_other, m);
	pthread_join(t, NULL);
	CHECK_EQ(cpu_bind(m, 5), -1);
	fclose(m->report);
	m->report = stderr;
	CHECK_EQ(bind_result, -10);
	CHECK_STR(buf, "cpu_bind: CPU 0 is already bound to another thread\n"
		       "cpu_bind: CPU 5 does not exist (the machine has 2)\n");
	free(buf);
	cpu_unbind();
	CHECK_EQ(smp_processor_id(), -1);
	pthread_create(&t, NULL, bind_other, m);
	pthread_join(t, NULL);
	CHECK_EQ(bind_result, 0);
	machine_destroy(m);
}

static void *bind_one(void *arg)
{
	struct machine *m = arg;
	bind_result = cpu_bind(m, 1);
	return NULL;
}

/*
 * A failed cpu_bind_many lets go of only the CPUs it took: a CPU the thread already held
 * stays its own, so no other thread can bind it too.
 *   CPUs: 0 1 2 3 4 (5 does not exist)
 *   this thread holds 1; cpu_bind_many({0, 1, 5}) takes 0, finds 1 its own, fails at 5
 * Expect: -1 "cpu_bind_many: CPU 5 does not exist"; CPU 0 free again, CPU 1 still this
 * thread's: another thread's cpu_bind(m, 1) gives -1.
 */
static void cpu_bind_many_failure_keeps_held_cpus(void)
{
	struct machine *m = t_machine_flat(0, 8192, 5, PCP_POLICY_LINUX_4_12, 0);
	int set[] = { 0, 1, 5 };
	char *buf = NULL;
	size_t len = 0;
	pthread_t t;

	CHECK_EQ(cpu_bind(m, 1), 0);
	m->report = open_memstream(&buf, &len);
	CHECK_EQ(cpu_bind_many(m, set, 3), -1);
	pthread_create(&t, NULL, bind_one, m);
	pthread_join(t, NULL);
	fclose(m->report);
	m->report = stderr;
	CHECK_EQ(bind_result, -1);
	CHECK_STR(buf, "cpu_bind_many: CPU 5 does not exist\n"
		       "cpu_bind: CPU 1 is already bound to another thread\n");
	free(buf);
	CHECK_EQ(atomic_load(&m->cpus[0].owner), 0);
	CHECK(atomic_load(&m->cpus[1].owner) != 0);
	CHECK_EQ(smp_processor_id(), 1);
	cpu_unbind();
	machine_destroy(m);
}

static void *bind_and_stay(void *arg)
{
	bind_result = cpu_bind(arg, 2);
	return NULL;    /* leaves CPU 2 bound: the thread ends without cpu_unbind */
}

/*
 * A destroyed machine is refused, not read: cpu_bind after machine_destroy says so; the
 * destroying thread's own binding is dropped, so its next allocation is an unbound one
 * (a warning and NULL), not a use of freed memory. A machine another thread still holds
 * a CPU of is reported and left in place.
 *
 * Expect: "cpu_bind: 0x... is not a machine (destroyed, or never created)";
 * alloc_pages NULL with "not bound"; "machine_destroy: CPU 2 is still bound".
 */
static void destroyed_machine_is_refused(void)
{
	struct machine *m = t_machine_flat(0, 8192, 4, PCP_POLICY_LINUX_4_12, 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *saved = stderr;

	CHECK_EQ(cpu_bind(m, 0), 0);
	CHECK(machine_live(m));
	machine_destroy(m);
	CHECK(!machine_live(m));
	CHECK_EQ(smp_processor_id(), -1);
	stderr = open_memstream(&buf, &len);
	CHECK(alloc_pages(GFP_KERNEL, 0) == NULL);
	CHECK_EQ(cpu_bind(m, 0), -1);
	int set[] = { 0 };
	CHECK_EQ(cpu_bind_many(m, set, 1), -1);
	fclose(stderr);
	stderr = saved;
	CHECK(strstr(buf, "not bound to a CPU") != NULL);
	CHECK(strstr(buf, "is not a machine (destroyed, or never created)") != NULL);
	CHECK(strstr(buf, "cpu_bind_many: ") != NULL);
	free(buf);

	m = t_machine_flat(0, 8192, 4, PCP_POLICY_LINUX_4_12, 0);
	pthread_t t;
	pthread_create(&t, NULL, bind_and_stay, m);
	pthread_join(t, NULL);
	CHECK_EQ(bind_result, 0);
	buf = NULL;
	m->report = open_memstream(&buf, &len);
	machine_destroy(m);
	fclose(m->report);
	m->report = stderr;
	CHECK_STR(buf, "machine_destroy: CPU 2 is still bound to another thread: the machine is left in place "
		       "(every thread must cpu_unbind first)\n");
	free(buf);
	CHECK(machine_live(m));
	atomic_store(&m->cpus[2].owner, 0);     /* as if that thread had unbound */
	machine_destroy(m);
	CHECK(!machine_live(m));
}

/*
 * A machine whose mem_map cannot fit in this host's memory is refused at once with the
 * figure it needs (it used to be built page by page until the host gave out).
 *
 * Expect: 4095 TiB -> "needs 16773120 MiB of host memory (mem_map: 16 bytes a frame)".
 */
static void machine_too_big_for_host(void)
{
	struct machine_desc d;
	char err[512] = "";

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_set(&d, "mem", "4095T", err, sizeof(err)), 0);
	CHECK(machine_create(&d, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "machine: 4095 GiB") == NULL);
	CHECK(strstr(err, "of model memory needs 16") != NULL);
	CHECK(strstr(err, "MiB of host memory (mem_map: 16 bytes a frame); this host has") != NULL);
}

/*
 * A thread bound to model CPU c runs on host CPU c when the host has it and the thread may
 * run there; unbinding gives the thread its old affinity back.
 *   model CPUs:  0 1 2 3
 *   host CPUs:   0 1        (this machine: 2)
 * Expect: bound to 1 -> affinity {1}, on host CPU 1; unbound -> the affinity it had;
 *         bound to 3 (no such host CPU) -> affinity unchanged.
 */
static void cpu_bind_pins_to_host_cpu(void)
{
	struct machine *m = t_machine_flat(0, 65536, 4, PCP_POLICY_LINUX_4_12, 0);
	cpu_set_t before, now;
	int target = 1;

	CHECK_EQ(pthread_getaffinity_np(pthread_self(), sizeof(before), &before), 0);
	if (!CPU_ISSET(target, &before)) {
		printf("SKIP cpu_bind_pins_to_host_cpu: host CPU %d is not available to this process\n", target);
		machine_destroy(m);
		return;
	}
	CHECK_EQ(cpu_bind(m, target), 0);
	CHECK_EQ(pthread_getaffinity_np(pthread_self(), sizeof(now), &now), 0);
	CHECK_EQ(CPU_COUNT(&now), 1);
	CHECK(CPU_ISSET(target, &now));
	CHECK_EQ(sched_getcpu(), target);
	cpu_unbind();
	CHECK_EQ(pthread_getaffinity_np(pthread_self(), sizeof(now), &now), 0);
	CHECK(CPU_EQUAL(&now, &before));
	/* a model CPU the host lacks: bound, not pinned */
	CHECK_EQ(cpu_bind(m, 3), 0);
	CHECK_EQ(pthread_getaffinity_np(pthread_self(), sizeof(now), &now), 0);
	if (!CPU_ISSET(3, &before))
		CHECK(CPU_EQUAL(&now, &before));
	cpu_unbind();
	machine_destroy(m);
}

/*
 * The zonelists' RCU read side is built without liburcu's run-time membarrier test (rcu.h).
 * On a host where liburcu found no sys_membarrier that would be unsafe.
 * Expect: machine_create refuses, and says why; with it back, the same desc builds.
 */
static void needs_urcu_membarrier(void)
{
	struct machine_desc d;
	char err[256] = "";
	int saved = zonelist_urcu_has_sys_membarrier;

	machine_desc_default(&d);
	d.scheme = PCP_SCHEME_TRYLOCK;          /* the owner scheme would fail on its own check */
	zonelist_urcu_has_sys_membarrier = 0;
	struct machine *m = machine_create(&d, err, sizeof(err));
	zonelist_urcu_has_sys_membarrier = saved;
	CHECK(m == NULL);
	CHECK(strstr(err, "sys_membarrier") != NULL);
	m = machine_create(&d, err, sizeof(err));
	CHECK(m != NULL);
	if (m)
		machine_destroy(m);
}

int main(void)
{
	RUN(cpu_binding);
	RUN(cpu_bind_many_failure_keeps_held_cpus);
	RUN(destroyed_machine_is_refused);
	RUN(machine_too_big_for_host);
	RUN(cpu_bind_pins_to_host_cpu);
	RUN(needs_urcu_membarrier);
	TEST_SUMMARY();
}
