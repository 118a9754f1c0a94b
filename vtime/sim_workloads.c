// SPDX-License-Identifier: GPL-2.0
/*
 * sim_workloads.c - the simulator's workloads, one row each (the template's is in
 * sim_template.c).  A workload keeps per-CPU state in its thread and says, each time the
 * scheduler picks a CPU, what that CPU does next: one op, a barrier, or nothing more.
 *
 *   repeat      blocks pairs per CPU: alloc a block, free it (LLFree: 112 ns a pair, flat).
 *   bulk        phase 0: blocks allocations per CPU; barrier; phase 1: free them in order.
 *   rand        phase 0 as bulk into one shared array; barrier, where the array is shuffled
 *               (seeded Fisher-Yates); phase 1: CPU c frees slots [c*n, (c+1)*n): blocks of
 *               every CPU, in random order (LLFree's rand).
 *   page-fault  order-0 pages up to working_set, then all freed in address order (munmap),
 *               rounds times: will-it-scale page_fault1's allocation pattern.
 *   remote      CPU c allocates into a queue that CPU (c+1) mod N frees from; a free waits
 *               for its block to exist (virtual time); a full queue makes the producer free
 *               from its own input first.  At 1 CPU a CPU feeds itself.
 * Default sizes: blocks = 1 GiB per CPU (262144 at order 0, 512 at order 9) for bulk and
 * rand, 100000 for repeat and remote; working set 32768 pages (128 MiB), 1 round.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "vtime/sim_internal.h"

#define REMOTE_QUEUE 256

static unsigned long blocks_per_cpu(const struct vsim *s)
{
	if (s->p.blocks)
		return s->p.blocks;
	if (s->p.workload == VSIM_BULK || s->p.workload == VSIM_RAND)
		return (1UL << 18) >> s->p.order;
	return 100000;
}

static unsigned long ws_pages(const struct vsim *s) { return s->p.working_set ? s->p.working_set : 32768; }

/* --- shared: per-CPU block arrays ------------------------------------------------------------ */

static int setup_blocks(struct vsim *s, unsigned long per_cpu, char *err, size_t errlen)
{
	for (int c = 0; c < s->nr_cpus; c++) {
		struct vsim_thread *t = &s->th[c];
		t->n = per_cpu;
		t->blocks = calloc(per_cpu ? per_cpu : 1, sizeof(*t->blocks));
		if (!t->blocks)
			return errf(err, errlen, "vtime: out of memory for %lu blocks per CPU", per_cpu);
	}
	return 0;
}

/* Free every block a CPU still holds in blocks[0..n), and the arrays. */
static void teardown_blocks(struct vsim *s)
{
	for (int c = 0; c < s->nr_cpus; c++) {
		struct vsim_thread *t = &s->th[c];
		for (unsigned long i = 0; t->blocks && i < t->n; i++)
			if (t->blocks[i].page)
				vsim_free_quiet(s, c, t->blocks[i].page, t->blocks[i].order);
		free(t->blocks);
		t->blocks = NULL;
	}
}

/* --- repeat -------------------------------------------------------------------------------- */

static unsigned long repeat_pages(const struct vsim *s) { return 1UL << s->p.order; }

static int repeat_setup(struct vsim *s, char *err, size_t errlen) { return setup_blocks(s, 1, err, errlen); }

static enum vsim_op repeat_next(struct vsim *s, struct vsim_thread *t)
{
	struct vsim_block *b = &t->blocks[0];

	if (b->page) {
		vsim_free(s, t, b->page, s->p.order, t->index);
		b->page = NULL;
		t->i++;
		return VSIM_OP_RAN;
	}
	if (t->i >= blocks_per_cpu(s))
		return VSIM_OP_DONE;
	b->page = vsim_alloc(s, t, s->p.order, s->gfp);
	b->order = s->p.order;
	if (!b->page)
		t->i++;         /* a failed attempt counts as a pair: the run ends */
	return VSIM_OP_RAN;
}

/* --- bulk ----------------------------------------------------------------------------------- */

static unsigned long bulk_pages(const struct vsim *s) { return blocks_per_cpu(s) << s->p.order; }

static int bulk_setup(struct vsim *s, char *err, size_t errlen) { return setup_blocks(s, blocks_per_cpu(s), err, errlen); }

static enum vsim_op bulk_next(struct vsim *s, struct vsim_thread *t)
{
	if (t->phase == 0) {
		if (t->i == t->n) {
			t->phase = 1;
			t->i = 0;
			return VSIM_OP_BARRIER;
		}
		struct vsim_block *b = &t->blocks[t->i++];
		b->page = vsim_alloc(s, t, s->p.order, s->gfp);
		b->order = s->p.order;
		b->cpu = t->index;
		return VSIM_OP_RAN;
	}
	while (t->i < t->n && !t->blocks[t->i].page)
		t->i++;         /* an allocation that failed */
	if (t->i == t->n)
		return VSIM_OP_DONE;
	struct vsim_block *b = &t->blocks[t->i++];
	vsim_free(s, t, b->page, b->order, b->cpu);
	b->page = NULL;
	return VSIM_OP_RAN;
}

/* --- rand: bulk's blocks, shuffled across CPUs at the barrier ------------------------------- */

static void rand_barrier(struct vsim *s)
{
	unsigned long n = blocks_per_cpu(s), total = n * (unsigned long)s->nr_cpus;

	/* Fisher-Yates over the concatenation of every CPU's array */
	for (unsigned long i = total - 1; i > 0; i--) {
		unsigned long j = (unsigned long)vcpu_rng_below(&s->rng, i + 1);
		struct vsim_block *a = &s->th[i / n].blocks[i % n], *b = &s->th[j / n].blocks[j % n];
		struct vsim_block x = *a;
		*a = *b;
		*b = x;
	}
}

/* --- page-fault ----------------------------------------------------------------------------- */

static unsigned long pf_pages(const struct vsim *s) { return ws_pages(s); }

static int pf_setup(struct vsim *s, char *err, size_t errlen) { return setup_blocks(s, ws_pages(s), err, errlen); }

static enum vsim_op pf_next(struct vsim *s, struct vsim_thread *t)
{
	unsigned rounds = s->p.rounds ? s->p.rounds : 1;

	if (t->phase >= 2 * (unsigned long)rounds)
		return VSIM_OP_DONE;
	if (!(t->phase & 1)) {                  /* faulting in */
		struct vsim_block *b = &t->blocks[t->i];
		b->page = vsim_alloc(s, t, 0, s->gfp);
		b->order = 0;
		b->cpu = t->index;
		if (++t->i == t->n) {
			t->i = 0;
			t->phase++;
		}
		return VSIM_OP_RAN;
	}
	while (t->i < t->n && !t->blocks[t->i].page)
		t->i++;
	if (t->i < t->n) {                      /* munmap: in address order */
		struct vsim_block *b = &t->blocks[t->i++];
		vsim_free(s, t, b->page, 0, b->cpu);
		b->page = NULL;
	}
	if (t->i >= t->n) {
		t->i = 0;
		t->phase++;
	}
	return VSIM_OP_RAN;
}

/* --- remote: a ring of producers and consumers --------------------------------------------- */

static unsigned long remote_pages(const struct vsim *s) { return (unsigned long)REMOTE_QUEUE << s->p.order; }

static int remote_setup(struct vsim *s, char *err, size_t errlen) { return setup_blocks(s, REMOTE_QUEUE, err, errlen); }

/* t's input: the queue of the CPU before it. */
static inline struct vsim_thread *producer_of(struct vsim *s, struct vsim_thread *t)
{
	return &s->th[(t->index + s->nr_cpus - 1) % s->nr_cpus];
}

static bool remote_free_one(struct vsim *s, struct vsim_thread *t)
{
	struct vsim_thread *p = producer_of(s, t);

	if (p->head == p->tail)
		return false;
	struct vsim_block *b = &p->blocks[p->head % REMOTE_QUEUE];
	vsim_idle_until(t, b->at);      /* it exists from its allocation on */
	vsim_free(s, t, b->page, b->order, b->cpu);
	b->page = NULL;
	p->head++;
	return true;
}

static enum vsim_op remote_next(struct vsim *s, struct vsim_thread *t)
{
	unsigned long n = blocks_per_cpu(s);
	struct vsim_thread *p = producer_of(s, t);
	bool can_alloc = t->phase < n && t->tail - t->head < REMOTE_QUEUE;
	bool can_free = p->head != p->tail;

	if (t->phase >= n && p->phase >= n && !can_free)
		return VSIM_OP_DONE;    /* produced all; the producer has too, and its queue is empty */
	/* alternate when both are possible */
	if (can_alloc && (!can_free || !(t->i++ & 1))) {
		struct vsim_block *b = &t->blocks[t->tail % REMOTE_QUEUE];
		b->page = vsim_alloc(s, t, s->p.order, s->gfp);
		b->order = s->p.order;
		b->cpu = t->index;
		b->at = t->vt.clock;
		t->phase++;                     /* allocations tried */
		if (b->page)
			t->tail++;
		return VSIM_OP_RAN;
	}
	if (can_free && remote_free_one(s, t))
		return VSIM_OP_RAN;
	/* nothing to free yet: wait (in virtual time) until the producer has moved on */
	vsim_idle_until(t, p->vt.clock + 1000);
	return VSIM_OP_RAN;
}

static void remote_teardown(struct vsim *s)
{
	for (int c = 0; c < s->nr_cpus; c++) {
		struct vsim_thread *t = &s->th[c];
		for (; t->blocks && t->head != t->tail; t->head++) {
			struct vsim_block *b = &t->blocks[t->head % REMOTE_QUEUE];
			vsim_free_quiet(s, c, b->page, b->order);
			b->page = NULL;
		}
	}
	teardown_blocks(s);
}

/* --- the table ------------------------------------------------------------------------------ */

static const struct vsim_workload_ops repeat_ops = {
	.pages_per_cpu = repeat_pages, .setup = repeat_setup, .next = repeat_next, .teardown = teardown_blocks,
};
static const struct vsim_workload_ops bulk_ops = {
	.pages_per_cpu = bulk_pages, .setup = bulk_setup, .next = bulk_next, .teardown = teardown_blocks,
};
static const struct vsim_workload_ops rand_ops = {
	.pages_per_cpu = bulk_pages, .setup = bulk_setup, .next = bulk_next, .barrier = rand_barrier,
	.teardown = teardown_blocks,
};
static const struct vsim_workload_ops pf_ops = {
	.pages_per_cpu = pf_pages, .setup = pf_setup, .next = pf_next, .teardown = teardown_blocks,
};
static const struct vsim_workload_ops remote_ops = {
	.pages_per_cpu = remote_pages, .setup = remote_setup, .next = remote_next, .teardown = remote_teardown,
};

const struct vsim_workload_ops *const vsim_workload_ops[NR_VSIM_WORKLOADS] = {
	[VSIM_REPEAT] = &repeat_ops,
	[VSIM_BULK] = &bulk_ops,
	[VSIM_RAND] = &rand_ops,
	[VSIM_PAGE_FAULT] = &pf_ops,
	[VSIM_REMOTE] = &remote_ops,
	[VSIM_TEMPLATE] = &vsim_template_ops,
	[VSIM_PRESSURE_FILE_STREAM] = &vsim_pressure_ops,
	[VSIM_PRESSURE_ANON_OVERCOMMIT] = &vsim_pressure_ops,
	[VSIM_PRESSURE_MIXED] = &vsim_pressure_ops,
	[VSIM_PRESSURE_THP_BURST] = &vsim_pressure_ops,
};
