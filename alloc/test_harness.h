/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test_harness.h - the project's one test harness, in the style of tools/testing/memblock:
 * each test is a function named for its case, with a picture and an "Expect:" line in its
 * comment where one helps; RUN(test) runs it and prints "ok NAME" or "FAIL NAME"; a failed
 * check prints file:line and the values, and the case goes on; TEST_SUMMARY() ends main()
 * with the plain line "N passed, N failed" (cases) and the exit status.
 *
 * No allocator in it: the trace reader's and gfp's tests use it alone; alloc/testing.h adds
 * the machine helpers and the per-policy runners (RUN_EACH_POLICY, ...).
 */
#ifndef ALLOC_TEST_HARNESS_H
#define ALLOC_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed_checks;
static int t_passed, t_failed;

#define CHECK(cond)                                                                         \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			t_failed_checks++;                                                  \
		}                                                                           \
	} while (0)

/* Integers (pfns, counts, gfp masks): both values, in decimal and in hex. */
#define CHECK_EQ(a, b)                                                                      \
	do {                                                                                \
		long long _a = (long long)(a), _b = (long long)(b);                         \
		if (_a != _b) {                                                             \
			fprintf(stderr, "  %s:%d: %s == %s failed: %lld != %lld (%#llx != %#llx)\n", \
				__FILE__, __LINE__, #a, #b, _a, _b, (unsigned long long)_a,   \
				(unsigned long long)_b);                                    \
			t_failed_checks++;                                                  \
		}                                                                           \
	} while (0)

#define CHECK_STR(a, b)                                                                     \
	do {                                                                                \
		const char *_a = (a), *_b = (b);                                            \
		if (!_a || !_b || strcmp(_a, _b)) {                                         \
			fprintf(stderr, "  %s:%d: %s == %s failed:\n    got      \"%s\"\n    expected \"%s\"\n", \
				__FILE__, __LINE__, #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); \
			t_failed_checks++;                                                  \
		}                                                                           \
	} while (0)

/* A substring, for messages. */
#define CHECK_CONTAINS(hay, needle)                                                         \
	do {                                                                                \
		const char *_h = (hay), *_n = (needle);                                     \
		if (!_h || !strstr(_h, _n)) {                                               \
			fprintf(stderr, "  %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, \
				_h ? _h : "(null)", _n);                                    \
			t_failed_checks++;                                                  \
		}                                                                           \
	} while (0)

/* One test's verdict: passed when no check failed since `before`. */
static inline void t_verdict(const char *name, int before)
{
	if (t_failed_checks == before) {
		t_passed++;
		printf("ok   %s\n", name);
	} else {
		t_failed++;
		printf("FAIL %s\n", name);
	}
}

#define RUN(test)                                                                           \
	do {                                                                                \
		int _before = t_failed_checks;                                              \
		test();                                                                     \
		t_verdict(#test, _before);                                                  \
	} while (0)

#define TEST_SUMMARY()                                                                      \
	do {                                                                                \
		printf("%d passed, %d failed\n", t_passed, t_failed);                       \
		return t_failed ? 1 : 0;                                                    \
	} while (0)

#endif /* ALLOC_TEST_HARNESS_H */
