// SPDX-License-Identifier: GPL-2.0
/*
 * pagealloc.c - the library interface (lib/pagealloc.h) over the kernel-named one
 * (alloc/page_alloc.h): each call one line of glue, so that the shared library exports
 * pagealloc_* alone (lib/pagealloc.map) and a program needs none of the model's headers.
 */
#include <stdlib.h>

#include "alloc/machine.h"
#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "lib/pagealloc.h"

struct pagealloc_desc {
	struct machine_desc d;
};

struct pagealloc_desc *pagealloc_desc_new(void)
{
	struct pagealloc_desc *pd = malloc(sizeof(*pd));

	if (pd)
		machine_desc_default(&pd->d);
	return pd;
}

int pagealloc_desc_set(struct pagealloc_desc *d, const char *key, const char *value, char *err, size_t errlen)
{
	return machine_desc_set(&d->d, key, value, err, errlen);
}

int pagealloc_desc_args(struct pagealloc_desc *d, int *argc, char **argv, char *err, size_t errlen)
{
	return machine_desc_parse_args(&d->d, argc, argv, err, errlen);
}

void pagealloc_desc_backed(struct pagealloc_desc *d, bool backed) { d->d.backed = backed; }
void pagealloc_desc_free(struct pagealloc_desc *d) { free(d); }
const char *pagealloc_options_help(void) { return machine_options_help; }

struct machine *pagealloc_create(const struct pagealloc_desc *d, char *err, size_t errlen)
{
	return machine_create(&d->d, err, errlen);
}

void pagealloc_destroy(struct machine *m) { machine_destroy(m); }
int pagealloc_nr_cpus(const struct machine *m) { return m->nr_cpus; }
int pagealloc_nr_nodes(const struct machine *m) { return m->nr_nodes; }
int pagealloc_bind(struct machine *m, int cpu) { return cpu_bind(m, cpu); }
void pagealloc_unbind(void) { cpu_unbind(); }
struct page *pagealloc_alloc(gfp_t gfp, unsigned int order) { return alloc_pages(gfp, order); }
struct page *pagealloc_alloc_node(int nid, gfp_t gfp, unsigned int order) { return alloc_pages_node(nid, gfp, order); }
void pagealloc_free(struct page *page, unsigned int order) { __free_pages(page, order); }
void *pagealloc_page_address(const struct page *page) { return page_address(page); }
unsigned long pagealloc_page_to_pfn(const struct page *page) { return page_to_pfn(page); }
int pagealloc_check(struct machine *m, char *err, size_t errlen) { return check_machine(m, err, errlen); }
int pagealloc_show(struct machine *m, const char *what, FILE *f) { return show_proc(m, what, f); }
