/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shared_trace.h - the replay tests' way to the shared traces (../shared/traces), which
 * lie outside the workspace.
 */
#ifndef REPLAY_SHARED_TRACE_H
#define REPLAY_SHARED_TRACE_H

#include <stdio.h>
#include <string.h>

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

#endif /* REPLAY_SHARED_TRACE_H */
