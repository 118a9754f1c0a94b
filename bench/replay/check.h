/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.h - the tests' hand-rolled checks: every failure is printed with its
 * file and line, and check_done() prints "N passed, N failed" and gives the exit
 * status (1 when anything failed).
 */
#ifndef BENCH_REPLAY_CHECK_H
#define BENCH_REPLAY_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (cond) {                                                      \
			check_passed++;                                          \
		} else {                                                         \
			check_failed++;                                          \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__,   \
				__LINE__, #cond);                                \
		}                                                                \
	} while (0)

#define CHECK_EQ(a, b)                                                           \
	do {                                                                     \
		unsigned long long a_ = (unsigned long long)(a);                 \
		unsigned long long b_ = (unsigned long long)(b);                 \
		if (a_ == b_) {                                                  \
			check_passed++;                                          \
		} else {                                                         \
			check_failed++;                                          \
			fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld (0x%llx != 0x%llx)\n", \
				__FILE__, __LINE__, #a, #b, (long long)a_,       \
				(long long)b_, a_, b_);                          \
		}                                                                \
	} while (0)

#define CHECK_STR(a, b)                                                          \
	do {                                                                     \
		const char *a_ = (a), *b_ = (b);                                 \
		if (a_ && b_ && strcmp(a_, b_) == 0) {                           \
			check_passed++;                                          \
		} else {                                                         \
			check_failed++;                                          \
			fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", \
				__FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)",   \
				b_ ? b_ : "(null)");                             \
		}                                                                \
	} while (0)

/* Substring check, for messages. */
#define CHECK_CONTAINS(hay, needle)                                              \
	do {                                                                     \
		const char *h_ = (hay), *n_ = (needle);                          \
		if (h_ && strstr(h_, n_)) {                                      \
			check_passed++;                                          \
		} else {                                                         \
			check_failed++;                                          \
			fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", \
				__FILE__, __LINE__, h_ ? h_ : "(null)", n_);     \
		}                                                                \
	} while (0)

static inline int check_done(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif /* BENCH_REPLAY_CHECK_H */
