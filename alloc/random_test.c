// SPDX-License-Identifier: GPL-2.0
/*
 * random_test.c - a randomized differential test of the allocator against a trivially
 * correct reference: a bitmap of the frames that are allocated.
 *
 * A 256 MiB machine (x86 layout: DMA [1, 0x1000) with 3840 managed, DMA32 to 0x10062
 * with 1/64 reserved), two CPUs held by this one thread (cpu_bind_many) and switched at
 * random (cpu_switch), so both CPUs' per-CPU lists fill, refill and drain. Each run does
 * mixed operations:
 *   - allocations: orders 0..10, weighted toward small; gfp among GFP_KERNEL,
 *     GFP_HIGHUSER_MOVABLE(|__GFP_COLD), reclaimable, GFP_ATOMIC, GFP_NOWAIT, DMA32, DMA
 *   - frees of a random live block (by page or by pfn)
 * with the live set swinging between 30% and 105% of memory (past full: allocate until refused) so that watermarks, fallbacks,
 * highatomic reserves, drains and failures all happen. Every allocated block must be in a zone the gfp
 * allows, naturally aligned, inside that zone, an allocated head of its order, and must
 * not overlap any live block of the reference. Every CHECK_EVERY operations the checker
 * runs and each zone's census of allocated pages must equal the reference's. At the end
 * everything is freed, the per-CPU lists drained, and buddyinfo must be what it was at
 * the start.
 *
 * Runs linux-4.12 with the owner scheme and linux-6.x (orders 0-3 and 9 on the per-CPU
 * lists) with the trylock scheme. The seed is fixed and printed; RANDOM_TEST_SEED and
 * RANDOM_TEST_OPS override it and the number of operations per run.
 */
#include <inttypes.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "pcp/pcp.h"

#define DEFAULT_SEED    0x5eed2024ULL
#define DEFAULT_OPS     1500000L
#define CHECK_EVERY     25000
#define FILL_PERIOD     100000

static uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(unsigned int n) { return (unsigned int)((rnd() >> 33) % n); }

static const struct { gfp_t gfp; unsigned int weight; } gfps[] = {
	{ GFP_KERNEL, 26 },
	{ GFP_HIGHUSER_MOVABLE, 26 },
	{ GFP_HIGHUSER_MOVABLE | __GFP_COLD, 6 },
	{ GFP_KERNEL | __GFP_RECLAIMABLE, 14 },
	{ GFP_ATOMIC, 10 },
	{ GFP_NOWAIT, 6 },
	{ GFP_KERNEL | GFP_DMA32, 9 },
	{ GFP_KERNEL | GFP_DMA, 3 },
};
static const unsigned int order_weight[MAX_ORDER] = { 500, 140, 100, 80, 40, 30, 25, 20, 20, 20, 5 };

static gfp_t pick_gfp(void)
{
	unsigned int total = 0, r;
	for (size_t i = 0; i < sizeof(gfps) / sizeof(gfps[0]); i++)
		total += gfps[i].weight;
	r = rnd_below(total);
	for (size_t i = 0;; i++) {
		if (r < gfps[i].weight)
			return gfps[i].gfp | __GFP_NOWARN;
		r -= gfps[i].weight;
	}
}

static unsigned int pick_order(void)
{
	unsigned int total = 0, r;
	for (int o = 0; o < MAX_ORDER; o++)
		total += order_weight[o];
	r = rnd_below(total);
	for (unsigned int o = 0;; o++) {
		if (r < order_weight[o])
			return o;
		r -= order_weight[o];
	}
}

struct live {
	unsigned long pfn;
	uint8_t order;
};

struct ref {
	uint64_t *bits;                 /* one bit per allocated frame */
	struct live *blocks;
	long nr_blocks, cap;
	unsigned long pages;            /* allocated pages */
	unsigned long zone_pages[MAX_NR_ZONES];
};

static bool ref_any(const struct ref *r, unsigned long pfn, unsigned long n)
{
	for (unsigned long i = pfn; i < pfn + n;) {
		if (!(i & 63) && i + 64 <= pfn + n) {
			if (r->bits[i >> 6])
				return true;
			i += 64;
		} else {
			if (r->bits[i >> 6] & (1ULL << (i & 63)))
				return true;
			i++;
		}
	}
	return false;
}

static void ref_set(struct ref *r, unsigned long pfn, unsigned long n, bool on)
{
	for (unsigned long i = pfn; i < pfn + n;) {
		if (!(i & 63) && i + 64 <= pfn + n) {
			r->bits[i >> 6] = on ? ~0ULL : 0;
			i += 64;
		} else {
			if (on)
				r->bits[i >> 6] |= 1ULL << (i & 63);
			else
				r->bits[i >> 6] &= ~(1ULL << (i & 63));
			i++;
		}
	}
}

/* The checker, plus: each zone's census of allocated pages is the reference's. */
static void check_against_ref(struct machine *m, const struct ref *r)
{
	CHECK_CONSISTENT(m);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &m->node_data[0]->node_zones[z];
		struct zone_census c;
		if (!populated_zone(zone))
			continue;
		zone_census(zone, &c);
		CHECK_EQ(c.allocated_pages, r->zone_pages[z]);
		CHECK_EQ(c.poisoned_pages, 0);
	}
}

static void run(enum pcp_policy_id policy, enum pcp_scheme_id scheme, uint64_t seed, long ops)
{
	struct machine_desc d;
	char err[256], initial[MAX_NR_ZONES][128], now[128];
	static const int cpus[2] = { 0, 1 };
	unsigned long failures[MAX_ORDER] = { 0 }, allocs = 0, frees = 0, managed = 0;
	struct ref r = { 0 };
	int failed_before = t_failed_checks;

	printf("     %s/%s: seed %#" PRIx64 ", %ld operations\n", pcp_policy(policy)->name, pcp_scheme_name(scheme), seed,
	       ops);
	machine_desc_default(&d);
	if (machine_desc_simple(&d, 1, 256UL << 20, 2, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	d.policy = policy;
	d.scheme = scheme;
	struct machine *m = t_machine(&d);
	if (cpu_bind_many(m, cpus, 2)) {
		fprintf(stderr, "cpu_bind_many failed\n");
		exit(2);
	}
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &m->node_data[0]->node_zones[z];
		t_buddyinfo(zone, initial[z], sizeof(initial[z]));
		managed += zone->managed_pages;
	}
	r.bits = calloc(m->max_pfn / 64 + 1, sizeof(uint64_t));
	r.cap = (long)managed + 1;
	r.blocks = calloc((size_t)r.cap, sizeof(*r.blocks));

	rng = seed;
	for (long op = 0; op < ops; op++) {
		if (t_failed_checks - failed_before > 20) {
			fprintf(stderr, "  stopping at operation %ld after repeated failures\n", op);
			break;
		}
		if (!rnd_below(8))
			cpu_switch(cpus[rnd_below(2)]);
		/* the live set's target swings between 30% and 105% of memory, period 2 x FILL_PERIOD */
		long phase = op % (2 * FILL_PERIOD);
		unsigned long target = managed * 30 / 100 +
				       managed * 75 / 100 * (unsigned long)(phase < FILL_PERIOD ? phase : 2 * FILL_PERIOD - phase) /
					       FILL_PERIOD;
		bool want_alloc = r.nr_blocks == 0 || rnd_below(100) < (r.pages < target ? 85u : 30u);
		if (want_alloc) {
			unsigned int order = pick_order();
			gfp_t gfp = pick_gfp();
			struct page *page = alloc_pages(gfp, order);
			if (!page) {
				failures[order]++;
				/* with over half of memory free, order 0 outside the small DMA zone must succeed */
				if (order == 0 && !(gfp & __GFP_DMA) && r.pages < managed / 2) {
					fprintf(stderr, "  op %ld: order-0 %#x failed with %lu of %lu pages allocated\n", op, gfp,
						r.pages, managed);
					CHECK(page != NULL);
				}
				continue;
			}
			unsigned long pfn = page_to_pfn(page), n = 1UL << order;
			struct zone *zone = pfn_zone(m, pfn);
			allocs++;
			CHECK(zone != NULL);
			if (!zone)
				continue;
			CHECK((int)zone->idx <= gfp_zone(gfp));
			CHECK_EQ(pfn & (n - 1), 0);
			CHECK(pfn + n <= zone_end_pfn(zone));
			CHECK_EQ(page->flags, PG_head);
			CHECK_EQ(page->order, order);
			if (ref_any(&r, pfn, n)) {
				fprintf(stderr, "  op %ld: order-%u block at %#lx overlaps a live block\n", op, order, pfn);
				CHECK(!ref_any(&r, pfn, n));
				continue;
			}
			ref_set(&r, pfn, n, true);
			r.blocks[r.nr_blocks++] = (struct live){ pfn, (uint8_t)order };
			r.pages += n;
			r.zone_pages[zone->idx] += n;
		} else {
			long i = (long)rnd_below((unsigned int)r.nr_blocks);
			struct live b = r.blocks[i];
			unsigned long n = 1UL << b.order;
			r.blocks[i] = r.blocks[--r.nr_blocks];
			ref_set(&r, b.pfn, n, false);
			r.pages -= n;
			r.zone_pages[pfn_zone(m, b.pfn)->idx] -= n;
			if (rnd_below(5))
				__free_pages(pfn_to_page(b.pfn), b.order);
			else
				free_pages_pfn(b.pfn, b.order);
			frees++;
		}
		if (op % CHECK_EVERY == CHECK_EVERY - 1)
			check_against_ref(m, &r);
	}
	check_against_ref(m, &r);

	printf("     %lu allocations, %lu frees; failures by order:", allocs, frees);
	for (int o = 0; o < MAX_ORDER; o++)
		printf(" %lu", failures[o]);
	printf("; highatomic reserved %ld\n", m->node_data[0]->node_zones[ZONE_DMA32].nr_reserved_highatomic);

	/* free everything: the zones return to their boot state */
	while (r.nr_blocks) {
		struct live b = r.blocks[--r.nr_blocks];
		cpu_switch(cpus[rnd_below(2)]);
		__free_pages(pfn_to_page(b.pfn), b.order);
	}
	drain_all_pages(m, NULL);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &m->node_data[0]->node_zones[z];
		CHECK_STR(t_buddyinfo(zone, now, sizeof(now)), initial[z]);
		CHECK_EQ(zone_page_state_snapshot(zone, NR_FREE_PAGES), zone->managed_pages);
		CHECK_EQ(zone_pcp_count(zone), 0);
	}
	CHECK_EQ(m->nr_bad_pages, 0);
	CHECK_CONSISTENT(m);
	free(r.bits);
	free(r.blocks);
	cpu_unbind();
	machine_destroy(m);
}

static uint64_t seed;
static long nr_ops;

/*
 * linux-4.12, owner scheme: order 0 only on the per-CPU lists.
 *
 *   CPU 0 pcp <-> | DMA | DMA32 ................................ | <-> CPU 1 pcp
 *
 * Expect: no overlap, misalignment or wrong zone; checker and census agree throughout;
 * boot buddyinfo at the end.
 */
static void random_ops_linux_4_12(void) { run(PCP_POLICY_LINUX_4_12, PCP_SCHEME_OWNER, seed, nr_ops); }

/*
 * linux-6.x, trylock scheme: orders 0-3 and pageblock order on the per-CPU lists,
 * auto-tuned high.
 *
 * Expect: as for linux-4.12.
 */
static void random_ops_linux_6_x(void) { run(PCP_POLICY_LINUX_6_X, PCP_SCHEME_TRYLOCK, seed + 1, nr_ops); }

int main(void)
{
	const char *s = getenv("RANDOM_TEST_SEED"), *o = getenv("RANDOM_TEST_OPS");

	seed = s && *s ? strtoull(s, NULL, 0) : DEFAULT_SEED;
	nr_ops = o && *o ? strtol(o, NULL, 0) : DEFAULT_OPS;
	RUN(random_ops_linux_4_12);
	RUN(random_ops_linux_6_x);
	TEST_SUMMARY();
}
