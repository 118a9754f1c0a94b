// SPDX-License-Identifier: GPL-2.0
/*
 * two_threads.c - the page allocator as a library: a backed 256 MiB machine with two
 * CPUs, a thread bound to each; every thread takes 1,000 frames, writes its own pattern
 * into each through pagealloc_page_address, checks them all, frees them, and the machine
 * is checked whole at the end. Exit 0 when everything held.
 *
 *   cc two_threads.c $(pkg-config --cflags --libs pagealloc) -lpthread -o two_threads
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pagealloc.h"

#define FRAMES 1000
#define FRAME_BYTES 4096

static struct machine *m;

static void *worker(void *arg)
{
	int cpu = (int)(intptr_t)arg;
	static struct page *pages[2][FRAMES];
	struct page **mine = pages[cpu];
	long bad = 0;

	if (pagealloc_bind(m, cpu))
		return (void *)1;
	for (int i = 0; i < FRAMES; i++) {
		mine[i] = pagealloc_alloc(GFP_KERNEL, 0);
		if (!mine[i])
			return (void *)2;
		memset(pagealloc_page_address(mine[i]), 'A' + cpu, FRAME_BYTES);
	}
	for (int i = 0; i < FRAMES; i++) {
		const unsigned char *b = pagealloc_page_address(mine[i]);
		for (int k = 0; k < FRAME_BYTES; k++)
			bad += b[k] != 'A' + cpu;       /* another thread's frame would show here */
		pagealloc_free(mine[i], 0);
	}
	pagealloc_unbind();
	return (void *)(intptr_t)(bad ? 3 : 0);
}

int main(void)
{
	char err[512];
	struct pagealloc_desc *d = pagealloc_desc_new();

	if (!d || pagealloc_desc_set(d, "mem", "256M", err, sizeof(err)) ||
	    pagealloc_desc_set(d, "cpus", "2", err, sizeof(err))) {
		fprintf(stderr, "two_threads: %s\n", d ? err : "out of memory");
		return 1;
	}
	pagealloc_desc_backed(d, true);
	m = pagealloc_create(d, err, sizeof(err));
	pagealloc_desc_free(d);
	if (!m) {
		fprintf(stderr, "two_threads: %s\n", err);
		return 1;
	}
	pthread_t t[2];
	void *rc[2];
	for (int c = 0; c < 2; c++)
		pthread_create(&t[c], NULL, worker, (void *)(intptr_t)c);
	for (int c = 0; c < 2; c++)
		pthread_join(t[c], &rc[c]);
	int ok = !rc[0] && !rc[1] && !pagealloc_check(m, err, sizeof(err));
	printf("two_threads: %s (thread results %ld, %ld)%s%s\n", ok ? "ok" : "FAILED", (long)(intptr_t)rc[0],
	       (long)(intptr_t)rc[1], ok ? "" : ": ", ok ? "" : err);
	pagealloc_destroy(m);
	return ok ? 0 : 1;
}
