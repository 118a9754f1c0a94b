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


/*
 * find_shared_trace: the path of shared/traces/NAME, which lies outside the workspace
 * (../shared beside a checkout or a CI clone). Tried in order: $TRACE_DIR/NAME;
 * shared/traces/NAME above this test's source file (its runfile SELF, e.g.
 * "replay/replay_test.c", resolved to the real tree); above the current directory;
 * /work/shared/traces/NAME. False when none exists (the caller prints SKIP).
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

static inline bool shared_trace_walk_up(const char *start, const char *name, char *out, size_t outlen)
{
	char dir[PATH_MAX];

	if (!realpath(start, dir))
		return false;
	for (;;) {
		snprintf(out, outlen, "%s/shared/traces/%s", strcmp(dir, "/") ? dir : "", name);
		if (access(out, R_OK) == 0)
			return true;
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	snprintf(out, outlen, "/shared/traces/%s", name);
	return access(out, R_OK) == 0;
}

static inline bool find_shared_trace(const char *name, const char *self, char *out, size_t outlen)
{
	const char *td = getenv("TRACE_DIR");
	const char *srcdir = getenv("TEST_SRCDIR"), *ws = getenv("TEST_WORKSPACE");

	if (td && *td) {
		snprintf(out, outlen, "%s/%s", td, name);
		if (access(out, R_OK) == 0)
			return true;
		fprintf(stderr, "TRACE_DIR=%s has no %s\n", td, name);
	}
	if (srcdir && ws) {
		char path[PATH_MAX], real[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s/%s", srcdir, ws, self);
		if (realpath(path, real)) {
			*strrchr(real, '/') = '\0';
			if (shared_trace_walk_up(real, name, out, outlen))
				return true;
		}
	}
	if (shared_trace_walk_up(".", name, out, outlen))
		return true;
	snprintf(out, outlen, "/work/shared/traces/%s", name);
	return access(out, R_OK) == 0;
}

#endif /* BENCH_REPLAY_CHECK_H */
