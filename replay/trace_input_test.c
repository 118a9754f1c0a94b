// SPDX-License-Identifier: GPL-2.0
/*
 * trace_input_test.c - the trace reader's input side (replay/trace_input.c): xz (memory,
 * file, concatenated, truncated, corrupt), stdin, streams larger than the read window
 * and events across its boundaries, overlong lines, and files it refuses to open.
 * Scratch files go to $TEST_TMPDIR (set by Bazel), else /tmp.
 */
#define _GNU_SOURCE
#include "replay/trace_fixture.h"

/* A text of many lines with varying lengths, and its expected pfn sum. */
static char *big_text(int nlines, size_t *len, uint64_t *pfn_sum)
{
	size_t cap = (size_t)nlines * 256 + 1;
	char *t = malloc(cap);
	size_t o = 0;

	*pfn_sum = 0;
	for (int i = 0; i < nlines; i++) {
		uint64_t pfn = (uint64_t)i * 2654435761u % 0x400000;

		o += (size_t)snprintf(t + o, cap - o,
				      "%*s %d [%03d] %d.%06d: kmem:mm_page_alloc: page=0x%llx pfn=0x%llx order=%d migratetype=%d gfp_flags=%s\n",
				      16 + i % 37, "python3", 1000 + i, i % 4, 3700 + i / 1000, i % 1000000,
				      (unsigned long long)pfn, (unsigned long long)pfn, i % 3, i % 2,
				      i % 3 ? "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP" : "GFP_KERNEL");
		*pfn_sum += pfn;
	}
	*len = o;
	return t;
}

static void check_big(struct trace_reader *r, int nlines, uint64_t want_sum, uint64_t want_bytes)
{
	struct trace_event ev;
	uint64_t sum = 0, n = 0, bad = 0;
	int rc;

	trace_set_warn(r, collect_warn, NULL);
	while ((rc = trace_next(r, &ev)) > 0) {
		sum += ev.pfn;
		n++;
		if (ev.line != n || ev.pid != 1000 + n - 1 || ev.cpu != (n - 1) % 4 ||
		    ev.gfp != ((n - 1) % 3 ? GFP_HIGHUSER_MOVABLE | __GFP_ZERO | __GFP_COMP : GFP_KERNEL))
			bad++;
	}
	CHECK_EQ(rc, 0);
	if (rc < 0)
		fprintf(stderr, "  %s\n", trace_error(r));
	CHECK_EQ(n, (uint64_t)nlines);
	CHECK_EQ(sum, want_sum);
	CHECK_EQ(bad, 0);
	CHECK_EQ(trace_counts(r)->bytes, want_bytes);
	trace_close(r);
}

/* Several MB: crosses the 256 KiB window many times; file, stdin, memory, xz. */
static void test_big_streams(void)
{
	const int nlines = 40000;
	size_t len, xlen;
	uint64_t sum;
	char *text = big_text(nlines, &len, &sum);
	uint8_t *xz = xz_compress(text, len, &xlen);
	char path[512], xpath[512], err[256];

	snprintf(path, sizeof(path), "%s/trace_test_big.txt", tmpdir());
	snprintf(xpath, sizeof(xpath), "%s/trace_test_big.trace.xz", tmpdir());
	write_file(path, text, len);
	write_file(xpath, xz, xlen);

	check_big(trace_open(path, err, sizeof(err)), nlines, sum, len);
	check_big(trace_open_mem(text, len, err, sizeof(err)), nlines, sum, len);
	check_big(trace_open_mem(xz, xlen, err, sizeof(err)), nlines, sum, len);

	struct trace_reader *r = trace_open(xpath, err, sizeof(err));

	check_big(r, nlines, sum, len);

	/* stdin: "-" reads file descriptor 0. */
	int saved = dup(0), fd = open(path, O_RDONLY);

	CHECK(saved >= 0 && fd >= 0);
	dup2(fd, 0);
	close(fd);
	check_big(trace_open("-", err, sizeof(err)), nlines, sum, len);
	dup2(saved, 0);
	close(saved);

	unlink(path);
	unlink(xpath);
	free(xz);
	free(text);
}

static void test_xz(void)
{
	static struct result plain, res;
	size_t xlen, len = strlen(every_type);
	uint8_t *xz = xz_compress(every_type, len, &xlen);
	char path[512];

	parse_str(every_type, 0, &plain);
	parse_mem((const char *)xz, xlen, 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, plain.n);
	for (int i = 0; i < plain.n && i < res.n; i++) {
		CHECK(same_event(&res.ev[i], &plain.ev[i]));
		CHECK_STR(res.comm[i], plain.comm[i]);
	}
	CHECK_EQ(res.counts.compressed_bytes, xlen);
	CHECK_EQ(res.counts.bytes, len);

	/* A file named like text is still recognised as xz. */
	snprintf(path, sizeof(path), "%s/trace_test_named_plain.txt", tmpdir());
	write_file(path, xz, xlen);
	parse_file(path, 0, &res);
	CHECK_EQ(res.n, plain.n);
	unlink(path);

	/* Concatenated streams (cat a.xz b.xz). */
	uint8_t *two = malloc(2 * xlen);

	memcpy(two, xz, xlen);
	memcpy(two + xlen, xz, xlen);
	parse_mem((const char *)two, 2 * xlen, 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 2 * plain.n);
	CHECK_EQ(res.ev[plain.n].line, (uint64_t)plain.n + 1);

	/* Truncated: the events before the cut, then an error. */
	parse_mem((const char *)xz, xlen - 20, 0, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_CONTAINS(res.err, "xz: ");

	/* Corrupt payload. */
	memcpy(two, xz, xlen);
	for (size_t i = 40; i < 60 && i < xlen; i++)
		two[i] ^= 0x5a;
	parse_mem((const char *)two, xlen, TRACE_SKIP_BAD, &res);	/* garbage text may come first */
	CHECK_EQ(res.rc, -1);
	CHECK_CONTAINS(res.err, "xz: ");
	free(two);
	free(xz);
}

static void test_overlong_line(void)
{
	static struct result res;
	size_t big = (1u << 20) + 100;
	const char *good = "p 1 [0] 1.0: kmem:mm_page_free: pfn=0x7 order=0\n";
	size_t glen = strlen(good);
	char *text = malloc(glen + big + 1 + glen);
	size_t len = 0;
	char path[512];

	memcpy(text, good, glen);
	len += glen;
	memset(text + len, 'y', big);
	len += big;
	text[len++] = '\n';
	memcpy(text + len, good, glen);
	len += glen;

	parse_mem(text, len, 0, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_EQ(res.n, 1);
	CHECK_CONTAINS(res.err, "line 2: line longer than 1048576 bytes");
	parse_mem(text, len, TRACE_SKIP_BAD, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 2);
	CHECK_EQ(res.counts.bad_lines, 1);
	CHECK_EQ(res.ev[1].line, 3);

	snprintf(path, sizeof(path), "%s/trace_test_long.txt", tmpdir());
	write_file(path, text, len);
	parse_file(path, 0, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_CONTAINS(res.err, "line 2: line longer than 1048576 bytes");
	parse_file(path, TRACE_SKIP_BAD, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 2);
	CHECK_EQ(res.ev[1].pfn, 7);
	CHECK_EQ(res.ev[1].line, 3);

	/* Just under the limit is fine (as a malformed line, not a long one). */
	len = glen;
	memset(text + len, 'y', (1u << 20) - 1);
	len += (1u << 20) - 1;
	text[len++] = '\n';
	memcpy(text + len, good, glen);
	len += glen;
	write_file(path, text, len);
	parse_file(path, TRACE_SKIP_BAD, &res);
	CHECK_EQ(res.n, 2);
	CHECK_EQ(res.counts.bad_lines, 1);
	CHECK_CONTAINS(warnings[0], "no \" [CPU] \" field");
	unlink(path);
	free(text);
}

static void test_open_errors(void)
{
	char err[256];
	char path[512];
	static const unsigned char gz[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2 };

	CHECK(trace_open("/nonexistent/trace.xz", err, sizeof(err)) == NULL);
	CHECK_CONTAINS(err, "cannot open /nonexistent/trace.xz: No such file or directory");

	CHECK(trace_open_mem(gz, sizeof(gz), err, sizeof(err)) == NULL);
	CHECK_CONTAINS(err, "gzip data is not supported");

	snprintf(path, sizeof(path), "%s/trace_test.gz", tmpdir());
	write_file(path, gz, sizeof(gz));
	CHECK(trace_open(path, err, sizeof(err)) == NULL);
	CHECK_CONTAINS(err, "gzip data is not supported");
	unlink(path);

	CHECK(trace_open(tmpdir(), err, sizeof(err)) == NULL);	/* a directory */
	CHECK_CONTAINS(err, "Is a directory");

	/* err may be NULL. */
	CHECK(trace_open("/nonexistent", NULL, 0) == NULL);
}

int main(void)
{
	RUN(test_big_streams);
	RUN(test_xz);
	RUN(test_overlong_line);
	RUN(test_open_errors);
	TEST_SUMMARY();
}
