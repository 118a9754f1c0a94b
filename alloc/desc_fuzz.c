// SPDX-License-Identifier: GPL-2.0
/*
 * desc_fuzz.c - libFuzzer targets for machine descriptions, one source built once per
 * input kind (-DDESC_FUZZ_ZONEINFO, _CONFIG or _ARGS; scripts/fuzz-desc builds and runs
 * them, and desc_fuzz_*_corpus_test replays alloc/fuzz_corpus/KIND without libFuzzer):
 *
 *   zoneinfo   the input is a /proc/zoneinfo capture (machine_desc_load_zoneinfo)
 *   config     the input is a --config file (machine_desc_load_config)
 *   args       the input, split at NUL bytes and newlines, is argv (machine_desc_parse_args)
 *
 * What must hold, or the target aborts (a crash to libFuzzer): a refusal sets a message
 * and leaves the description as it was; an accepted description is one machine_create
 * either builds - and then check_machine passes - or refuses with a message. Machines
 * over 1 GiB are not built (the host's time, not the code's correctness).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc/internal.h"
#include "alloc/machine.h"
#include "alloc/page_alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                                      \
	do {                                                                                   \
		if (!(cond)) {                                                                 \
			fprintf(stderr, "desc_fuzz: %s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                               \
		}                                                                              \
	} while (0)

#if defined(DESC_FUZZ_ZONEINFO) || defined(DESC_FUZZ_CONFIG)
/* The input as a file the loaders can open by name: a memfd, named through /proc. */
static int as_file(const uint8_t *data, size_t size, char *path, size_t n)
{
	int fd = memfd_create("desc_fuzz", 0);
	FUZZ_ASSERT(fd >= 0);
	for (size_t done = 0; done < size;) {
		ssize_t w = write(fd, data + done, size - done);
		FUZZ_ASSERT(w > 0);
		done += (size_t)w;
	}
	snprintf(path, n, "/proc/self/fd/%d", fd);
	return fd;
}
#endif

/* An accepted description: sane fields, and a machine that builds consistent or is refused with a reason. */
static void check_accepted(const struct machine_desc *d)
{
	unsigned long present = 0;

	FUZZ_ASSERT(d->nr_nodes >= 1 && d->nr_nodes <= MACHINE_MAX_NODES);
	FUZZ_ASSERT(d->nr_cpus >= d->nr_nodes && d->nr_cpus <= NR_CPUS);
	FUZZ_ASSERT(d->nr_ranges >= 1 && d->nr_ranges <= MACHINE_MAX_RANGES);
	for (int c = 0; c < d->nr_cpus; c++)
		FUZZ_ASSERT(d->cpu_to_node[c] >= 0 && d->cpu_to_node[c] < d->nr_nodes);
	for (int r = 0; r < d->nr_ranges; r++) {
		FUZZ_ASSERT(d->ranges[r].start_pfn < d->ranges[r].end_pfn && d->ranges[r].end_pfn <= MACHINE_MAX_PFN);
		FUZZ_ASSERT(d->ranges[r].nid >= 0 && d->ranges[r].nid < d->nr_nodes);
		present += d->ranges[r].end_pfn - d->ranges[r].start_pfn;
	}
	for (int a = 0; a < d->nr_nodes; a++)
		for (int b = 0; b < d->nr_nodes; b++)
			FUZZ_ASSERT(a == b ? d->node_distance[a][b] == LOCAL_DISTANCE
					   : d->node_distance[a][b] > LOCAL_DISTANCE && d->node_distance[a][b] <= 255);
	FUZZ_ASSERT(d->watermark_scale_factor >= 1 && d->watermark_scale_factor <= 3000);
	FUZZ_ASSERT(memchr(d->name, 0, sizeof(d->name)) != NULL);
	if (present > (1UL << 18) || d->backed)
		return;         /* > 1 GiB: not built here */
	char err[512] = "";
	struct machine_desc copy = *d;
	copy.scheme = PCP_SCHEME_TRYLOCK;       /* no membarrier needed in a fuzzer */
	struct machine *m = machine_create(&copy, err, sizeof(err));
	if (!m) {
		FUZZ_ASSERT(err[0]);            /* refused with a reason */
		return;
	}
	FUZZ_ASSERT(check_machine(m, err, sizeof(err)) == 0);
	machine_destroy(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine_desc *d = malloc(sizeof(*d)), *before = malloc(sizeof(*d));
	char err[1024] = "";
	int r;

	FUZZ_ASSERT(d && before);
	machine_desc_default(d);
	*before = *d;
#if defined(DESC_FUZZ_ZONEINFO) || defined(DESC_FUZZ_CONFIG)
	char path[64];
	int fd = as_file(data, size, path, sizeof(path));
#ifdef DESC_FUZZ_ZONEINFO
	r = machine_desc_load_zoneinfo(d, path, err, sizeof(err));
#else
	r = machine_desc_load_config(d, path, err, sizeof(err));
#endif
	close(fd);
#elif defined(DESC_FUZZ_ARGS)
	/* argv: "prog", then the input's NUL- or newline-separated words (at most 32) */
	char *text = malloc(size + 1), *argv[34];
	int argc = 0;
	FUZZ_ASSERT(text);
	memcpy(text, data, size);
	text[size] = 0;
	argv[argc++] = "prog";
	for (size_t i = 0, start = 0; i <= size && argc < 33; i++)
		if (i == size || text[i] == '\n' || text[i] == 0) {
			text[i] = 0;
			if (i > start || i < size)
				argv[argc++] = text + start;
			start = i + 1;
		}
	argv[argc] = NULL;
	int argc_in = argc;
	r = machine_desc_parse_args(d, &argc, argv, err, sizeof(err));
	if (!r) {
		FUZZ_ASSERT(argc >= 1 && argc <= argc_in && argv[argc] == NULL);
		for (int i = 1; i < argc; i++)          /* what is left is not a machine option */
			FUZZ_ASSERT(argv[i] != NULL);
	}
#else
#error "build with -DDESC_FUZZ_ZONEINFO, -DDESC_FUZZ_CONFIG or -DDESC_FUZZ_ARGS"
#endif
	if (r) {
		FUZZ_ASSERT(r == -1 && err[0]);
		FUZZ_ASSERT(memchr(err, 0, sizeof(err)) != NULL);
		FUZZ_ASSERT(!memcmp(d, before, sizeof(*d)));    /* a refusal changes nothing */
	} else {
		check_accepted(d);
	}
#ifdef DESC_FUZZ_ARGS
	free(text);
#endif
	free(d);
	free(before);
	return 0;
}
