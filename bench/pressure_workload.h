/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pressure_workload.h - the memory-pressure workloads' accesses, one definition for the
 * real-thread rows (bench/pressure.c) and the virtual-time ones (vtime/sim_pressure.c).
 * Header-only: each includes it against its own flavour of the allocator.
 *
 * Glossary
 *   access    one step of a workload: a task touch, a file read or write; thp-burst: one
 *             order-9 allocation after THP_READS reads and touches
 *   share     what one of T threads uses of a machine of P pages: its task's working set
 *             and its file's length (the sizes below are for one thread, divided by T)
 *   warm-up   accesses before the measurement, until memory is full (the first slow-path
 *             entry), at most 2 x P / T
 *
 * The workloads (bench/pressure.h says what each does and why):
 *   file-stream      file 1.5 P / T, read round and round
 *   anon-overcommit  task 1.25 P / T, 80 % of touches to its hot fifth
 *   mixed            task 0.5 P / T and file P / T: 50 % touches, 40 % reads, 10 % writes
 *   thp-burst        task 0.25 P / T, file 1.5 P / T; order-9 bursts of P / 512 / 8 / T held
 */
#ifndef BENCH_PRESSURE_WORKLOAD_H
#define BENCH_PRESSURE_WORKLOAD_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc/machine.h"
#include "alloc/page_alloc.h"
#include "alloc/task.h"
#include "alloc/vmstat.h"

enum pressure_workload { PW_FILE_STREAM, PW_ANON_OVERCOMMIT, PW_MIXED, PW_THP_BURST, NR_PW };

static const char *const pressure_workload_names[NR_PW] = { "file-stream", "anon-overcommit", "mixed", "thp-burst" };

#define PRESSURE_THP_ORDER      9
#define PRESSURE_THP_READS      32

/* The anon rows swap; with no --swap they get 2 x memory of it. */
static inline bool pressure_workload_anon(enum pressure_workload w) { return w == PW_ANON_OVERCOMMIT || w == PW_MIXED; }

struct pressure_thread {
	struct mm_task *task;           /* NULL: file-stream */
	struct mm_file *file;           /* NULL: anon-overcommit */
	unsigned long pos, nr_task, nr_file;
	uint64_t rng;
	struct page **thp;              /* [nr_thp]: the burst held */
	unsigned thp_next, nr_thp;
};

/* The kernel's vmstat figures every pressure row reports per 1000 allocations. */
static const struct pressure_per1k {
	enum vm_event_item e;
	const char *name;
} pressure_per1k[] = {
	{ PGSCAN_KSWAPD, "pgscan_kswapd" }, { PGSCAN_DIRECT, "pgscan_direct" },
	{ PGSTEAL_KSWAPD, "pgsteal_kswapd" }, { PGSTEAL_DIRECT, "pgsteal_direct" },
	{ COMPACTSTALL, "compact_stall" }, { COMPACTSUCCESS, "compact_success" }, { COMPACTFAIL, "compact_fail" },
	{ KCOMPACTD_WAKE, "compact_daemon_wake" }, { PGMIGRATE_SUCCESS, "pgmigrate_success" },
	{ KSWAPD_LOW_WMARK_HIT_QUICKLY, "kswapd_low_wmark_hit_quickly" }, { PSWPIN, "pswpin" },
	{ PSWPOUT, "pswpout" }, { OOM_KILL, "oom_kill" },
};
#define NR_PRESSURE_PER1K       (sizeof(pressure_per1k) / sizeof(pressure_per1k[0]))

/* The task, file and burst array of one thread, sized for one thread of a machine of pages
 * (fewer threads each use a share: pressure_thread_share).  0, or -1 out of memory. */
static inline int pressure_thread_create(struct pressure_thread *p, struct machine *m, enum pressure_workload w,
					 unsigned long pages)
{
	if (w != PW_FILE_STREAM && !(p->task = task_create(m, pages * 5 / 4)))
		return -1;
	if (w != PW_ANON_OVERCOMMIT && !(p->file = file_create(m, pages * 3 / 2)))
		return -1;
	if (w == PW_THP_BURST && !(p->thp = calloc((pages >> PRESSURE_THP_ORDER) / 8 + 1, sizeof(struct page *))))
		return -1;
	return 0;
}

/* Thread t of nthreads: its share of the sets, and its own random stream. */
static inline void pressure_thread_share(struct pressure_thread *p, enum pressure_workload w, unsigned long pages,
					 int nthreads, int t)
{
	unsigned long n = (unsigned long)nthreads;

	p->nr_task = (w == PW_ANON_OVERCOMMIT ? pages * 5 / 4 : w == PW_MIXED ? pages / 2 : pages / 4) / n;
	p->nr_file = (w == PW_MIXED ? pages : pages * 3 / 2) / n;
	p->rng = 0x9e3779b97f4a7c15ull * (uint64_t)(t + 1);
	p->nr_thp = (unsigned)((pages >> PRESSURE_THP_ORDER) / 8 / n);
	if (!p->nr_thp)
		p->nr_thp = 1;
}

static inline uint64_t pressure_xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* 80 % of touches to the first fifth (the hot set), the rest anywhere. */
static inline unsigned long pressure_hot_cold(struct pressure_thread *p, unsigned long n)
{
	uint64_t r = pressure_xorshift(&p->rng);

	if (r % 10 < 8)
		return (r >> 8) % (n / 5 ? n / 5 : 1);
	return (r >> 8) % n;
}

/* One access; false when an allocation failed (or the OOM killer took the task, which then
 * starts again empty: a new process). */
static inline bool pressure_step(enum pressure_workload w, struct pressure_thread *p)
{
	int r = 0;

	switch (w) {
	case PW_FILE_STREAM:
		r = file_read(p->file, p->pos);
		p->pos = (p->pos + 1) % p->nr_file;
		break;
	case PW_ANON_OVERCOMMIT:
		r = task_touch(p->task, pressure_hot_cold(p, p->nr_task));
		break;
	case PW_MIXED: {
		unsigned k = (unsigned)(pressure_xorshift(&p->rng) % 10);
		if (k < 5) {
			r = task_touch(p->task, pressure_hot_cold(p, p->nr_task));
		} else {
			r = k < 9 ? file_read(p->file, p->pos) : file_write(p->file, p->pos);
			p->pos = (p->pos + 1) % p->nr_file;
		}
		break;
	}
	case PW_THP_BURST: {
		/* a stream, and anon faults among it that pin pages all over memory (no swap: movable only) */
		for (int i = 0; i < PRESSURE_THP_READS; i++) {
			if (i % 8 == 7) {
				task_touch(p->task, (pressure_xorshift(&p->rng) >> 8) % p->nr_task);
				continue;
			}
			file_read(p->file, p->pos);
			p->pos = (p->pos + 1) % p->nr_file;
		}
		/* a burst: THPs held until an eighth of memory is, then all given back at once */
		if (p->thp_next == p->nr_thp) {
			for (unsigned i = 0; i < p->nr_thp; i++)
				if (p->thp[i]) {
					__free_pages(p->thp[i], PRESSURE_THP_ORDER);
					p->thp[i] = NULL;
				}
			p->thp_next = 0;
		}
		p->thp[p->thp_next] = alloc_pages(GFP_TRANSHUGE | __GFP_NOWARN, PRESSURE_THP_ORDER);
		r = p->thp[p->thp_next++] ? 0 : -ENOMEM;
		break;
	}
	case NR_PW:
		break;
	}
	if (r == -ESRCH)
		task_exit(p->task);
	return r == 0;
}

/* Give back everything the thread holds (the objects stay, empty, for the next run). */
static inline void pressure_thread_release(struct pressure_thread *p)
{
	for (unsigned i = 0; p->thp && i < p->nr_thp; i++)
		if (p->thp[i]) {
			__free_pages(p->thp[i], PRESSURE_THP_ORDER);
			p->thp[i] = NULL;
		}
	if (p->task)
		task_exit(p->task);
	if (p->file)
		file_drop(p->file);
	p->pos = 0;
	p->thp_next = 0;
}

/* Release, then free the objects. */
static inline void pressure_thread_destroy(struct pressure_thread *p)
{
	pressure_thread_release(p);
	if (p->task)
		task_free(p->task);
	if (p->file)
		file_free(p->file);
	free(p->thp);
	*p = (struct pressure_thread){ 0 };
}

/*
 * The pressure machine from the options' base (its sysctls and devices) with nr_nodes nodes
 * of bytes_per_node and nr_cpus CPUs; an anon workload without swap gets 2 x memory of it.
 */
static inline int pressure_machine_desc(struct machine_desc *d, const struct machine_desc *base, int nr_nodes,
					int nr_cpus, unsigned long bytes_per_node, enum pressure_workload w, char *err,
					size_t errlen)
{
	*d = *base;
	d->movablecore_pages = 0;
	d->imported = false;
	if (machine_desc_simple(d, nr_nodes, bytes_per_node, nr_cpus, err, errlen))
		return -1;
	if (pressure_workload_anon(w) && !d->swap_pages)
		d->swap_pages = 2 * (bytes_per_node >> PAGE_SHIFT) * (unsigned long)nr_nodes;
	return 0;
}

#endif /* BENCH_PRESSURE_WORKLOAD_H */
