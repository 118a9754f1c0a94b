// SPDX-License-Identifier: GPL-2.0
/*
 * gfp_test.c - gfp_parse() / gfp_format(): names, composites, round trips,
 * unknown names, hex values, "none", the empty string, truncation.
 *
 * Prints every failed check and ends with "N passed, N failed" (alloc/test_harness.h).
 */
#include "alloc/gfp.h"
#include "alloc/test_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse a NUL-terminated string; returns the unknown count. */
static int parse(const char *s, gfp_t *out, const char **unk, size_t *unk_len)
{
	return gfp_parse(s, strlen(s), out, unk, unk_len);
}

static const char *fmt(gfp_t gfp)
{
	static char buf[512];
	int n = gfp_format(gfp, buf, sizeof(buf));

	if (n < 0 || (size_t)n >= sizeof(buf)) {
		t_failed_checks++;
		fprintf(stderr, "gfp_format(0x%x) returned %d\n", gfp, n);
	}
	return buf;
}

static void test_single_bits(void)
{
	struct { const char *name; gfp_t mask; } bits[] = {
#define ROW(n, bit) { #n, 1u << (bit) },
		GFP_BITS(ROW)
#undef ROW
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		gfp_t out = ~0u;
		const char *unk;
		size_t unk_len;

		CHECK_EQ(parse(bits[i].name, &out, &unk, &unk_len), 0);
		CHECK_EQ(out, bits[i].mask);
		CHECK(unk == NULL && unk_len == 0);

		/* A bit that is also a composite prints as the composite. */
		const char *s = fmt(bits[i].mask);

		if (bits[i].mask == GFP_DMA)
			CHECK_STR(s, "GFP_DMA");
		else if (bits[i].mask == GFP_DMA32)
			CHECK_STR(s, "GFP_DMA32");
		else if (bits[i].mask == GFP_NOWAIT)
			CHECK_STR(s, "GFP_NOWAIT");
		else
			CHECK_STR(s, bits[i].name);
		CHECK_EQ(parse(s, &out, NULL, NULL), 0);
		CHECK_EQ(out, bits[i].mask);
	}
}

static void test_composites(void)
{
	struct { const char *name; gfp_t mask; } comps[] = {
#define ROW(n) { #n, (n) },
		GFP_COMPOSITES(ROW)
#undef ROW
	};

	for (size_t i = 0; i < sizeof(comps) / sizeof(comps[0]); i++) {
		gfp_t out = 0;

		CHECK_EQ(parse(comps[i].name, &out, NULL, NULL), 0);
		CHECK_EQ(out, comps[i].mask);
		/* Each composite is the first one in table order contained in itself. */
		CHECK_STR(fmt(comps[i].mask), comps[i].name);
	}

	/* Values spelled out, so a table typo shows. */
	gfp_t out;

	parse("GFP_KERNEL", &out, NULL, NULL);
	CHECK_EQ(out, __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_IO | __GFP_FS);
	parse("GFP_TRANSHUGE_LIGHT", &out, NULL, NULL);
	CHECK_EQ(out, __GFP_HIGHMEM | __GFP_MOVABLE | __GFP_IO | __GFP_FS | __GFP_HARDWALL |
			__GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN);
	CHECK(!(out & __GFP_RECLAIM));
	parse("GFP_TRANSHUGE", &out, NULL, NULL);
	CHECK_EQ(out, GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM);
	parse("__GFP_RECLAIM", &out, NULL, NULL);
	CHECK_EQ(out, __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM);
	CHECK_STR(fmt(__GFP_RECLAIM), "GFP_NOIO");
}

static void test_format_order(void)
{
	/* Composites first (biggest contained), then bits in bit order. */
	CHECK_STR(fmt(GFP_KERNEL | __GFP_ZERO | __GFP_COMP), "GFP_KERNEL|__GFP_ZERO|__GFP_COMP");
	CHECK_STR(fmt(GFP_KERNEL | __GFP_ACCOUNT), "GFP_KERNEL_ACCOUNT");
	CHECK_STR(fmt(GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN),
		  "GFP_TRANSHUGE|GFP_NOWAIT");
	CHECK_STR(fmt(GFP_NOFS | __GFP_DMA), "GFP_NOFS|GFP_DMA");
	CHECK_STR(fmt(__GFP_COMP | __GFP_IO | __GFP_RECLAIMABLE),
		  "__GFP_RECLAIMABLE|__GFP_IO|__GFP_COMP");
	CHECK_STR(fmt(GFP_ATOMIC | __GFP_NOWARN), "GFP_ATOMIC|__GFP_NOWARN");
	/* Bits the table does not name print as hex. */
	CHECK_STR(fmt(1u << 31), "0x80000000");
	CHECK_STR(fmt(GFP_KERNEL | (1u << 30)), "GFP_KERNEL|0x40000000");
}

/* Every distinct gfp_flags string in ../shared/traces/fsmix.trace.xz (Linux 6.18). */
static const char *const fsmix_strings[] = {
	"GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP",
	"GFP_NOFS|__GFP_NOFAIL|__GFP_COMP|__GFP_HARDWALL",
	"GFP_NOWAIT|__GFP_COMP",
	"GFP_NOFS|__GFP_HIGHMEM|__GFP_MOVABLE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_HARDWALL",
	"GFP_HIGHUSER_MOVABLE|__GFP_COMP",
	"GFP_NOFS|__GFP_RECLAIMABLE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
	"GFP_NOWAIT",
	"GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP",
	"__GFP_RECLAIMABLE|__GFP_IO|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC",
	"GFP_HIGHUSER_MOVABLE|__GFP_WRITE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
	"GFP_KERNEL|__GFP_RECLAIMABLE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
	"GFP_HIGHUSER_MOVABLE|__GFP_WRITE|__GFP_COMP",
	"GFP_NOWAIT|__GFP_RECLAIMABLE|__GFP_NORETRY|__GFP_COMP",
	"GFP_NOFS|__GFP_RECLAIMABLE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_HARDWALL",
	"GFP_NOFS|__GFP_MOVABLE|__GFP_NOFAIL|__GFP_COMP|__GFP_HARDWALL",
	"GFP_ATOMIC|__GFP_RECLAIMABLE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
	"GFP_NOWAIT|__GFP_NORETRY|__GFP_COMP|__GFP_THISNODE",
	"GFP_NOFS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
	"GFP_KERNEL",
	"GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
	"GFP_NOFS|__GFP_MOVABLE|__GFP_COMP",
	"GFP_HIGHUSER|__GFP_ACCOUNT",
};

static void test_kernel_strings_round_trip(void)
{
	for (size_t i = 0; i < sizeof(fsmix_strings) / sizeof(fsmix_strings[0]); i++) {
		gfp_t out;

		CHECK_EQ(parse(fsmix_strings[i], &out, NULL, NULL), 0);
		CHECK_STR(fmt(out), fsmix_strings[i]);
	}
}

static void test_round_trip_values(void)
{
	const gfp_t all = (1u << __GFP_BITS_SHIFT) - 1;
	unsigned int x = 12345;

	/* Every value of the low 12 bits, then pseudo-random values over all bits. */
	for (gfp_t v = 0; v < (1u << 12); v++) {
		gfp_t out = ~0u;

		CHECK_EQ(parse(fmt(v), &out, NULL, NULL), 0);
		CHECK_EQ(out, v);
	}
	for (int i = 0; i < 20000; i++) {
		char first[512];
		gfp_t v, out = ~0u;

		x = x * 1103515245u + 12345u;
		v = (x ^ (x >> 7) ^ (x << 11)) & all;
		snprintf(first, sizeof(first), "%s", fmt(v));
		if (parse(first, &out, NULL, NULL) != 0 || out != v) {
			t_failed_checks++;
			fprintf(stderr, "round trip 0x%x -> \"%s\" -> 0x%x\n", v, first, out);
			continue;
		}
		CHECK_STR(fmt(out), first);
	}
	/* Any permutation of the names gives the same value. */
	gfp_t a, b;

	parse("__GFP_COMP|__GFP_ZERO|GFP_KERNEL", &a, NULL, NULL);
	parse("GFP_KERNEL|__GFP_ZERO|__GFP_COMP", &b, NULL, NULL);
	CHECK_EQ(a, b);
	/* Overlapping names are a union. */
	parse("GFP_KERNEL|GFP_NOFS|__GFP_IO|GFP_KERNEL", &a, NULL, NULL);
	CHECK_EQ(a, GFP_KERNEL);
}

static void test_unknown(void)
{
	const char *unk;
	size_t unk_len;
	gfp_t out;
	const char *s = "GFP_KERNEL|__GFP_BOGUS|__GFP_ZERO|__GFP_ALSO_BOGUS";

	CHECK_EQ(parse(s, &out, &unk, &unk_len), 2);
	CHECK_EQ(out, GFP_KERNEL | __GFP_ZERO);
	CHECK(unk == s + strlen("GFP_KERNEL|"));
	CHECK_EQ(unk_len, strlen("__GFP_BOGUS"));

	CHECK_EQ(parse("gfp_kernel", &out, &unk, &unk_len), 1);	/* case matters */
	CHECK_EQ(out, 0);
	CHECK_EQ(parse("GFP_KERN", &out, NULL, NULL), 1);		/* no prefixes */
	CHECK_EQ(parse("GFP_KERNELX", &out, NULL, NULL), 1);
	CHECK_EQ(parse("__GFP_", &out, NULL, NULL), 1);
	CHECK_EQ(parse("GFP_", &out, NULL, NULL), 1);
	CHECK_EQ(parse("NONE", &out, NULL, NULL), 1);

	/* Empty names between separators are unknown, with length 0. */
	s = "GFP_KERNEL|";
	CHECK_EQ(parse(s, &out, &unk, &unk_len), 1);
	CHECK_EQ(out, GFP_KERNEL);
	CHECK(unk == s + strlen(s));
	CHECK_EQ(unk_len, 0);
	CHECK_EQ(parse("|", &out, NULL, NULL), 2);
	CHECK_EQ(parse("__GFP_IO||__GFP_FS", &out, NULL, NULL), 1);
	CHECK_EQ(out, __GFP_IO | __GFP_FS);

	/* Only len bytes are read. */
	s = "GFP_KERNEL|__GFP_ZERO";
	CHECK_EQ(gfp_parse(s, strlen("GFP_KERNEL"), &out, &unk, &unk_len), 0);
	CHECK_EQ(out, GFP_KERNEL);
	CHECK_EQ(gfp_parse(s, 3, &out, &unk, &unk_len), 1);
	CHECK_EQ(unk_len, 3);
}

static void test_hex_none_empty(void)
{
	const char *unk = NULL;
	size_t unk_len = 99;
	gfp_t out = 1;
	const char *s;

	/* A raw kernel value: its bits are not the model's, so unknown and 0. */
	s = "0x400dc0";
	CHECK_EQ(parse(s, &out, &unk, &unk_len), 1);
	CHECK_EQ(out, 0);
	CHECK(unk == s);
	CHECK_EQ(unk_len, strlen(s));
	s = "GFP_KERNEL|0x10|__GFP_COMP";
	CHECK_EQ(parse(s, &out, &unk, &unk_len), 1);
	CHECK_EQ(out, GFP_KERNEL | __GFP_COMP);
	CHECK(unk == s + strlen("GFP_KERNEL|"));
	CHECK_EQ(unk_len, 4);

	/* "none" is how the kernel prints 0. */
	out = 1;
	CHECK_EQ(parse("none", &out, &unk, &unk_len), 0);
	CHECK_EQ(out, 0);
	CHECK(unk == NULL && unk_len == 0);
	CHECK_STR(fmt(0), "none");

	/* Empty and blank strings: 0, nothing unknown. */
	out = 1;
	CHECK_EQ(gfp_parse("", 0, &out, &unk, &unk_len), 0);
	CHECK_EQ(out, 0);
	CHECK(unk == NULL && unk_len == 0);
	out = 1;
	CHECK_EQ(parse("  \t ", &out, NULL, NULL), 0);
	CHECK_EQ(out, 0);

	/* Blanks around names and separators are ignored. */
	CHECK_EQ(parse(" GFP_KERNEL | __GFP_ZERO \n", &out, NULL, NULL), 0);
	CHECK_EQ(out, GFP_KERNEL | __GFP_ZERO);
}

static void test_format_truncation(void)
{
	char buf[16];
	const char *full = "GFP_KERNEL|__GFP_ZERO|__GFP_COMP";
	gfp_t v = GFP_KERNEL | __GFP_ZERO | __GFP_COMP;
	int n;

	memset(buf, 'x', sizeof(buf));
	n = gfp_format(v, buf, sizeof(buf));
	CHECK_EQ(n, strlen(full));
	CHECK_EQ(strlen(buf), sizeof(buf) - 1);
	CHECK(strncmp(buf, full, sizeof(buf) - 1) == 0);

	n = gfp_format(v, buf, 1);
	CHECK_EQ(n, strlen(full));
	CHECK_EQ(buf[0], '\0');

	buf[0] = 'x';
	n = gfp_format(v, buf, 0);	/* writes nothing */
	CHECK_EQ(n, strlen(full));
	CHECK_EQ(buf[0], 'x');

	char exact[64];

	n = gfp_format(v, exact, strlen(full));	/* one short of room for the NUL */
	CHECK_EQ(n, strlen(full));
	CHECK_EQ(strlen(exact), strlen(full) - 1);

	n = gfp_format(v, exact, strlen(full) + 1);
	CHECK_STR(exact, full);
	CHECK_EQ(n, strlen(full));
	CHECK_EQ(gfp_format(0, exact, 3), 4);
	CHECK_STR(exact, "no");
}

int main(void)
{
	RUN(test_single_bits);
	RUN(test_composites);
	RUN(test_format_order);
	RUN(test_kernel_strings_round_trip);
	RUN(test_round_trip_values);
	RUN(test_unknown);
	RUN(test_hex_none_empty);
	RUN(test_format_truncation);
	TEST_SUMMARY();
}
