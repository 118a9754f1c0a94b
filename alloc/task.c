// SPDX-License-Identifier: GPL-2.0
/*
 * task.c - tasks with anonymous memory and files with a page cache (alloc/task.h): the
 * page tables, page-cache slots and owner callbacks that let reclaim, swap, compaction
 * and the OOM killer act on them as on the kernel's.
 *
 * Each has a mutex that its callbacks take: the user's thread holds it around lookups and
 * updates but never across an allocation (the allocation may reclaim or OOM-kill this
 * very owner), and reclaim calls back with no lock of its own held; lock order: the
 * owner's mutex, then lru->lock.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/task.h"
#include "alloc/vmstat.h"

/* A PTE or a page-cache slot: 0 none; frame << 2 | 1; swap slot (task) or shadow (file) << 2 | 2. */
#define E_PRESENT       1u
#define E_OUT           2u
#define e_present(pfn)  ((uint64_t)(pfn) << 2 | E_PRESENT)
#define e_out(v)        ((uint64_t)(v) << 2 | E_OUT)
#define e_val(e)        ((e) >> 2)

struct mm_task {
	struct machine *m;
	pthread_mutex_t lock;
	int owner;
	bool killed;
	unsigned long nr, rss, swapents;
	uint64_t *pte;
};

struct mm_file {
	struct machine *m;
	pthread_mutex_t lock;
	int owner;
	unsigned long nr, cached;
	unsigned long ra_next;          /* where a sequential reader's next miss would be */
	uint64_t *slot;
};

/* --- tasks --- */

static bool task_evict(void *ctx, struct page *page)
{
	struct mm_task *t = ctx;
	unsigned long pfn = __page_to_pfn(t->m, page);
	uint32_t i = lru_page_index(t->m, page);
	bool gone = false;

	/* only a dead task's pages are given up this way; a live one's are swapped */
	pthread_mutex_lock(&t->lock);
	if (t->killed && i < t->nr && t->pte[i] == e_present(pfn)) {
		t->pte[i] = 0;
		t->rss--;
		gone = true;
	}
	pthread_mutex_unlock(&t->lock);
	return gone;
}

static bool task_swap_out(void *ctx, struct page *page, unsigned long slot)
{
	struct mm_task *t = ctx;
	unsigned long pfn = __page_to_pfn(t->m, page);
	uint32_t i = lru_page_index(t->m, page);
	bool ok = false;

	pthread_mutex_lock(&t->lock);
	if (!t->killed && i < t->nr && t->pte[i] == e_present(pfn)) {
		t->pte[i] = e_out(slot);
		t->rss--;
		t->swapents++;
		ok = true;
	}
	pthread_mutex_unlock(&t->lock);
	return ok;
}

static void task_moved(void *ctx, struct page *from, struct page *to)
{
	struct mm_task *t = ctx;
	uint32_t i = lru_page_index(t->m, from);

	pthread_mutex_lock(&t->lock);
	if (i < t->nr && t->pte[i] == e_present(__page_to_pfn(t->m, from)))
		t->pte[i] = e_present(__page_to_pfn(t->m, to));
	pthread_mutex_unlock(&t->lock);
}

static unsigned long task_badness(void *ctx)
{
	struct mm_task *t = ctx;

	pthread_mutex_lock(&t->lock);
	unsigned long points = t->killed ? 0 : t->rss + t->swapents;
	pthread_mutex_unlock(&t->lock);
	return points;
}

/* Under t->lock: give back every page (those reclaim holds isolated it frees itself, via evict) and slot. */
static unsigned long task_release_locked(struct mm_task *t)
{
	unsigned long freed = 0;

	for (unsigned long i = 0; i < t->nr; i++) {
		uint64_t e = t->pte[i];
		if (e & E_PRESENT) {
			struct page *page = __pfn_to_page(t->m, e_val(e));
			if (!__lru_del(t->m, page))
				continue;       /* isolated: reclaim or compaction finishes it */
			t->pte[i] = 0;
			t->rss--;
			__free_pages(page, 0);
			freed++;
		} else if (e & E_OUT) {
			swap_free(t->m, e_val(e));
			t->pte[i] = 0;
			t->swapents--;
		}
	}
	return freed;
}

static unsigned long task_oom_kill(void *ctx)
{
	struct mm_task *t = ctx;

	pthread_mutex_lock(&t->lock);
	t->killed = true;
	unsigned long freed = task_release_locked(t);
	pthread_mutex_unlock(&t->lock);
	return freed;
}

static const struct page_owner_ops task_ops = {
	.evict = task_evict,
	.moved = task_moved,
	.swap_out = task_swap_out,
	.oom_badness = task_badness,
	.oom_kill = task_oom_kill,
};

struct mm_task *task_create(struct machine *m, unsigned long nr_pages)
{
	struct mm_task *t = calloc(1, sizeof(*t));

	if (!t || nr_pages > UINT32_MAX || !(t->pte = calloc(nr_pages ? nr_pages : 1, sizeof(*t->pte)))) {
		free(t);
		return NULL;
	}
	t->m = m;
	t->nr = nr_pages;
	pthread_mutex_init(&t->lock, NULL);
	t->owner = lru_register_owner(m, &task_ops, t);
	if (t->owner < 0) {
		free(t->pte);
		free(t);
		return NULL;
	}
	return t;
}

int task_touch(struct mm_task *t, unsigned long vpage)
{
	struct machine *m = t->m;

	if (vpage >= t->nr)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	uint64_t e = t->pte[vpage];
	if (t->killed) {
		pthread_mutex_unlock(&t->lock);
		return -ESRCH;
	}
	if (e & E_PRESENT) {
		page_mark_young(m, __pfn_to_page(m, e_val(e)));
		pthread_mutex_unlock(&t->lock);
		return 0;
	}
	pthread_mutex_unlock(&t->lock);
	/* a fault: a new page, or the slot's contents back (never with the task's lock held) */
	count_vm_event(PGFAULT);
	struct page *page = (e & E_OUT) ? swapin(m, e_val(e), GFP_HIGHUSER_MOVABLE) : alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	pthread_mutex_lock(&t->lock);
	if (t->killed || t->pte[vpage] != e) {
		/* killed meanwhile (its slot went with it), or ours is no longer the PTE we faulted on */
		bool killed = t->killed;
		pthread_mutex_unlock(&t->lock);
		if (page)
			__free_pages(page, 0);
		return killed ? -ESRCH : 0;
	}
	if (!page) {
		pthread_mutex_unlock(&t->lock);
		return -ENOMEM;
	}
	if (e & E_OUT)
		t->swapents--;          /* swapin freed the slot */
	t->pte[vpage] = e_present(__page_to_pfn(m, page));
	t->rss++;
	lru_add_index(m, page, t->owner, LRU_ANON | LRU_MOVABLE, (uint32_t)vpage);
	page_mark_young(m, page);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

bool task_killed(struct mm_task *t)
{
	pthread_mutex_lock(&t->lock);
	bool k = t->killed;
	pthread_mutex_unlock(&t->lock);
	return k;
}

unsigned long task_rss(struct mm_task *t)
{
	pthread_mutex_lock(&t->lock);
	unsigned long n = t->rss;
	pthread_mutex_unlock(&t->lock);
	return n;
}

unsigned long task_swapents(struct mm_task *t)
{
	pthread_mutex_lock(&t->lock);
	unsigned long n = t->swapents;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void task_exit(struct mm_task *t)
{
	for (int tries = 0;; tries++) {
		pthread_mutex_lock(&t->lock);
		task_release_locked(t);
		bool done = !t->rss && !t->swapents;
		t->killed = false;
		pthread_mutex_unlock(&t->lock);
		if (done || tries > 100000)
			return;
		sched_yield();          /* a page reclaim or compaction holds isolated */
	}
}

void task_free(struct mm_task *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->pte);
	free(t);
}

/* --- files --- */

static bool file_evict(void *ctx, struct page *page)
{
	struct mm_file *f = ctx;
	unsigned long pfn = __page_to_pfn(f->m, page);
	uint32_t i = lru_page_index(f->m, page);
	bool gone = false;

	pthread_mutex_lock(&f->lock);
	if (i < f->nr && f->slot[i] == e_present(pfn)) {
		f->slot[i] = e_out(workingset_eviction(f->m, page));    /* the shadow entry */
		f->cached--;
		gone = true;
	}
	pthread_mutex_unlock(&f->lock);
	return gone;
}

static void file_moved(void *ctx, struct page *from, struct page *to)
{
	struct mm_file *f = ctx;
	uint32_t i = lru_page_index(f->m, from);

	pthread_mutex_lock(&f->lock);
	if (i < f->nr && f->slot[i] == e_present(__page_to_pfn(f->m, from)))
		f->slot[i] = e_present(__page_to_pfn(f->m, to));
	pthread_mutex_unlock(&f->lock);
}

static const struct page_owner_ops file_ops = { .evict = file_evict, .moved = file_moved };

struct mm_file *file_create(struct machine *m, unsigned long nr_pages)
{
	struct mm_file *f = calloc(1, sizeof(*f));

	if (!f || nr_pages > UINT32_MAX || !(f->slot = calloc(nr_pages ? nr_pages : 1, sizeof(*f->slot)))) {
		free(f);
		return NULL;
	}
	f->m = m;
	f->nr = nr_pages;
	pthread_mutex_init(&f->lock, NULL);
	f->owner = lru_register_owner(m, &file_ops, f);
	if (f->owner < 0) {
		free(f->slot);
		free(f);
		return NULL;
	}
	return f;
}

/* Under f->lock: a page read in at index (a refault when its slot has a shadow). */
static void file_add_locked(struct mm_file *f, unsigned long index, struct page *page)
{
	struct machine *m = f->m;
	uint64_t e = f->slot[index];
	unsigned flags = LRU_FILE | LRU_MOVABLE;

	if ((e & E_OUT) && workingset_refault(m, page_zone(m, page)->node, e_val(e)))
		flags |= LRU_ACTIVE;
	f->slot[index] = e_present(__page_to_pfn(m, page));
	f->cached++;
	lru_add_index(m, page, f->owner, flags, (uint32_t)index);
}

/*
 * The page cache page of index, present on return with f->lock held, or an error. A miss
 * reads it in from the disk (its latency, and its bandwidth for each page); a miss right
 * after the previous one's window (a sequential reader) reads ahead up to FILE_RA_PAGES
 * uncached pages in the same I/O, as ondemand readahead's 128 KiB window does.
 */
#define FILE_RA_PAGES   32
static int file_get_locked(struct mm_file *f, unsigned long index, struct page **out)
{
	struct machine *m = f->m;

	if (index >= f->nr)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	uint64_t e = f->slot[index];
	if (e & E_PRESENT) {
		*out = __pfn_to_page(m, e_val(e));
		mark_page_accessed(m, *out);
		return 0;
	}
	unsigned long want = 1;
	if (index == f->ra_next)
		while (want < FILE_RA_PAGES && index + want < f->nr && !(f->slot[index + want] & E_PRESENT))
			want++;
	pthread_mutex_unlock(&f->lock);
	struct page *pages[FILE_RA_PAGES];
	unsigned long got = 0;
	while (got < want && (pages[got] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0)))
		got++;
	if (!got)
		return -ENOMEM;
	struct writeback_state *wb = m->slow->wb;
	mm_wait_until(mm_now_ns() + wb->disk.latency_ns + got * wb->disk.ns_per_page);
	count_vm_events(PGPGIN, (long)(got * (PAGE_SIZE >> 10)));
	pthread_mutex_lock(&f->lock);
	f->ra_next = index + got;
	for (unsigned long k = 0; k < got; k++) {
		if (f->slot[index + k] & E_PRESENT) {   /* another reader brought it in meanwhile */
			__free_pages(pages[k], 0);
			continue;
		}
		file_add_locked(f, index + k, pages[k]);
	}
	*out = __pfn_to_page(m, e_val(f->slot[index]));
	mark_page_accessed(m, *out);    /* generic_file_read marks every page it reads */
	return 0;
}

int file_read(struct mm_file *f, unsigned long index)
{
	struct page *page;
	int r = file_get_locked(f, index, &page);

	if (!r)
		pthread_mutex_unlock(&f->lock);
	return r;
}

int file_write(struct mm_file *f, unsigned long index)
{
	struct page *page;
	int r = file_get_locked(f, index, &page);

	if (r)
		return r;
	bool newly = __set_page_dirty(f->m, page);
	pthread_mutex_unlock(&f->lock);
	if (newly)
		balance_dirty_pages(f->m);
	return 0;
}

bool file_is_cached(struct mm_file *f, unsigned long index)
{
	pthread_mutex_lock(&f->lock);
	bool c = index < f->nr && (f->slot[index] & E_PRESENT);
	pthread_mutex_unlock(&f->lock);
	return c;
}

struct page *task_page(struct mm_task *t, unsigned long vpage)
{
	pthread_mutex_lock(&t->lock);
	uint64_t e = vpage < t->nr ? t->pte[vpage] : 0;
	pthread_mutex_unlock(&t->lock);
	return (e & E_PRESENT) ? __pfn_to_page(t->m, e_val(e)) : NULL;
}

unsigned long file_cached(struct mm_file *f)
{
	pthread_mutex_lock(&f->lock);
	unsigned long n = f->cached;
	pthread_mutex_unlock(&f->lock);
	return n;
}

void file_drop(struct mm_file *f)
{
	for (int tries = 0;; tries++) {
		pthread_mutex_lock(&f->lock);
		for (unsigned long i = 0; i < f->nr; i++) {
			uint64_t e = f->slot[i];
			if (e & E_OUT)
				f->slot[i] = 0;
			if (!(e & E_PRESENT))
				continue;
			struct page *page = __pfn_to_page(f->m, e_val(e));
			if (!__lru_del(f->m, page))
				continue;
			f->slot[i] = 0;
			f->cached--;
			__free_pages(page, 0);
		}
		bool done = !f->cached;
		f->ra_next = 0;
		pthread_mutex_unlock(&f->lock);
		if (done || tries > 100000)
			return;
		sched_yield();
	}
}

void file_free(struct mm_file *f)
{
	if (!f)
		return;
	pthread_mutex_destroy(&f->lock);
	free(f->slot);
	free(f);
}
