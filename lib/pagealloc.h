/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagealloc.h - the model's page allocator as a library: describe a machine (the same
 * keys as the command line's machine options), build it, bind each thread to one of its
 * CPUs, and allocate and free page frames with the kernel's gfp flags. Link with
 * `pkg-config --cflags --libs pagealloc` after scripts/install PREFIX.
 *
 *     struct pagealloc_desc *d = pagealloc_desc_new();
 *     pagealloc_desc_set(d, "mem", "1G", err, sizeof(err));
 *     pagealloc_desc_backed(d, true);            // frames with memory: page_address works
 *     struct machine *m = pagealloc_create(d, err, sizeof(err));
 *     pagealloc_desc_free(d);
 *     pagealloc_bind(m, 0);                      // this thread is CPU 0
 *     struct page *p = pagealloc_alloc(GFP_KERNEL, 0);
 *     memset(pagealloc_page_address(p), 0, 4096);
 *     pagealloc_free(p, 0);
 *     pagealloc_unbind();
 *     pagealloc_destroy(m);                      // after every thread unbound
 *
 * Every function that can fail returns NULL or -1 and, where it takes err, says why in it.
 * Only pagealloc_* names and the gfp flags (the kernel's names) are exported; the kernel-
 * named interface (alloc/page_alloc.h) is the workspace's, with its inline fast path.
 */
#ifndef PAGEALLOC_H
#define PAGEALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "alloc/gfp.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pagealloc_desc;          /* a machine description: nodes, memory, CPUs, policy, sysctls */
struct machine;                 /* a built machine */
struct page;                    /* one frame's descriptor (the head of an allocated block) */

/* The built-in default: one node of 16 GiB laid out as an x86-64 server, 8 CPUs, linux-4.12. */
struct pagealloc_desc *pagealloc_desc_new(void);
/* One option, as key = value in a --config file ("mem", "1G"; "policy", "linux-6.x"; ...). */
int pagealloc_desc_set(struct pagealloc_desc *d, const char *key, const char *value, char *err, size_t errlen);
/* Machine options from argv (--mem 1G --cpus 4 ...), taken out of it; the rest is left. */
int pagealloc_desc_args(struct pagealloc_desc *d, int *argc, char **argv, char *err, size_t errlen);
/* Back the frames with memory (page_address then works): off by default. */
void pagealloc_desc_backed(struct pagealloc_desc *d, bool backed);
void pagealloc_desc_free(struct pagealloc_desc *d);
/* The options, one a line, for a program's --help. */
const char *pagealloc_options_help(void);

struct machine *pagealloc_create(const struct pagealloc_desc *d, char *err, size_t errlen);
/* Every other thread must have called pagealloc_unbind first (see alloc/machine.h). */
void pagealloc_destroy(struct machine *m);
int pagealloc_nr_cpus(const struct machine *m);
int pagealloc_nr_nodes(const struct machine *m);

/* This thread allocates and frees as that CPU: 0, or -1 (no such CPU, or another thread's). */
int pagealloc_bind(struct machine *m, int cpu);
void pagealloc_unbind(void);

/* 2^order frames, or NULL (with the kernel's warning unless __GFP_NOWARN). */
struct page *pagealloc_alloc(gfp_t gfp, unsigned int order);
/* From node nid's zonelist (nid < 0: this CPU's node). */
struct page *pagealloc_alloc_node(int nid, gfp_t gfp, unsigned int order);
/* A bad free (double, wrong order, foreign pointer) is reported as the kernel's bad_page(). */
void pagealloc_free(struct page *page, unsigned int order);
/* The frame's memory; NULL, with a message saying how to back it, on an unbacked machine. */
void *pagealloc_page_address(const struct page *page);
unsigned long pagealloc_page_to_pfn(const struct page *page);

/* 0 when every invariant holds, else -1 and the first problem (no other thread may run). */
int pagealloc_check(struct machine *m, char *err, size_t errlen);
/* A /proc dump - "buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "zonelists" - or the
 * model's own counters, "modelstat"; -1: not one. */
int pagealloc_show(struct machine *m, const char *what, FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* PAGEALLOC_H */
