// SPDX-License-Identifier: GPL-2.0
/*
 * list_test - struct pcp_list (pcp/pcp.h) is one list in one order, though it is kept in two
 * parts (the newest blocks in mag, the older ones on a pagelist):
 *
 *     tail ... pagelist head | mag[0] ... mag[nr-1]
 *     oldest                                newest (next pop)
 *
 * Each case drives it and a plain reference deque with the same operations and compares
 * the whole order, head to tail, after every step.
 */
#include "alloc/testing.h"
#include "pcp/pcp.h"

#define NPAGES 512

static struct page mem[NPAGES];
static struct zone zone = { .zone_mem_map = mem };

/* The reference: ref[lo..hi) with the head at hi - 1. */
static uint32_t ref[4 * NPAGES];
static int lo, hi;

static void ref_reset(void) { lo = hi = 2 * NPAGES; }

struct order_walk {
	uint32_t got[NPAGES];
	int n;
};

static bool record(struct page *p, void *arg)
{
	struct order_walk *w = arg;
	if (w->n < NPAGES)
		w->got[w->n] = page_idx(&zone, p);
	w->n++;
	return true;
}

/* Expect: the list, head to tail, equals the reference. */
static bool same_order(const struct pcp_list *l)
{
	struct order_walk w = { .n = 0 };

	if (pcp_list_walk(&zone, l, NPAGES, record, &w) != 0 || w.n != hi - lo)
		return false;
	for (int i = 0; i < w.n; i++)
		if (w.got[i] != ref[hi - 1 - i])
			return false;
	if (pcp_list_empty(l) != (hi == lo))
		return false;
	if (hi > lo && (pcp_list_first(&zone, l) != &mem[ref[hi - 1]] || pcp_list_last(&zone, l) != &mem[ref[lo]]))
		return false;
	return true;
}

/*
 * Fill past the magazine: 3 * PCP_MAG_SIZE adds spill it twice onto the pagelist.
 *   add 0, 1, ..., 86           head = 86, tail = 0
 * Expect: pops return 86, 85, ..., 0 (LIFO across both parts), then the list is empty.
 */
static void test_lifo_across_spills(void)
{
	struct pcp_list l;
	pcp_list_init(&l);
	ref_reset();
	for (uint32_t i = 0; i < 3 * PCP_MAG_SIZE; i++) {
		pcp_list_add(&zone, &l, &mem[i]);
		ref[hi++] = i;
	}
	CHECK(same_order(&l));
	CHECK(l.nr < PCP_MAG_SIZE + 1);
	for (int i = 3 * PCP_MAG_SIZE - 1; i >= 0; i--)
		CHECK(pcp_list_pop(&zone, &l) == &mem[i]);
	CHECK(pcp_list_empty(&l));
}

/*
 * Drain order: the tail is the oldest even when every block is in mag.
 *   add 0..9 (all in mag)      tail = 0
 * Expect: pop_tail returns 0, 1, 2 and the rest is still 9..3 from the head.
 */
static void test_tail_from_magazine(void)
{
	struct pcp_list l;
	pcp_list_init(&l);
	ref_reset();
	for (uint32_t i = 0; i < 10; i++) {
		pcp_list_add(&zone, &l, &mem[i]);
		ref[hi++] = i;
	}
	for (uint32_t i = 0; i < 3; i++) {
		CHECK(pcp_list_pop_tail(&zone, &l) == &mem[i]);
		lo++;
	}
	CHECK(same_order(&l));
	CHECK(pcp_list_pop(&zone, &l) == &mem[9]);
}

/*
 * Random mix of the four operations (add, add_tail, pop, pop_tail) against the reference.
 * Expect: identical order after every step, 200,000 steps, a fixed seed.
 */
static void test_random_against_reference(void)
{
	struct pcp_list l;
	bool on[NPAGES] = { false };
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int bad = 0;

	pcp_list_init(&l);
	ref_reset();
	for (int step = 0; step < 200000 && !bad; step++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int op = (int)(x % 8);
		uint32_t i = (uint32_t)((x >> 8) % NPAGES);
		if (op < 4 && !on[i] && hi - lo < NPAGES) {
			on[i] = true;
			if (op < 3) {
				pcp_list_add(&zone, &l, &mem[i]);
				ref[hi++] = i;
			} else {
				pcp_list_add_tail(&zone, &l, &mem[i]);
				ref[--lo] = i;
			}
		} else if (op >= 4 && hi > lo) {
			struct page *p;
			uint32_t want;
			if (op < 7) {
				p = pcp_list_pop(&zone, &l);
				want = ref[--hi];
			} else {
				p = pcp_list_pop_tail(&zone, &l);
				want = ref[lo++];
			}
			if (p != &mem[want])
				bad = step + 1;
			on[want] = false;
		}
		if (lo < NPAGES / 2 || hi > 4 * NPAGES - NPAGES / 2) {       /* recentre the reference */
			memmove(&ref[2 * NPAGES - (hi - lo) / 2], &ref[lo], sizeof(ref[0]) * (size_t)(hi - lo));
			int n = hi - lo;
			lo = 2 * NPAGES - n / 2;
			hi = lo + n;
		}
		if (!bad && !same_order(&l))
			bad = step + 1;
	}
	CHECK_EQ(bad, 0);
}

int main(void)
{
	RUN(test_lifo_across_spills);
	RUN(test_tail_from_magazine);
	RUN(test_random_against_reference);
	TEST_SUMMARY();
}
