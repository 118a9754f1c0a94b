// SPDX-License-Identifier: GPL-2.0
/*
 * costs.c - read and write cost tables (see costs.h).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtime/costs.h"

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int parse_pos_int(const char *s, const char **end, int *out)
{
	long v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s++ - '0');
		if (v > 1 << 20)
			return -1;
	}
	*end = s;
	*out = (int)v;
	return v >= 1 ? 0 : -1;
}

int vt_topology_parse(struct vt_topology *t, const char *s, char *err, size_t errlen)
{
	const char *p = s;
	int v[3] = { 0, 0, 1 }, n = 0;

	for (;;) {
		if (n == 3 || parse_pos_int(p, &p, &v[n]))
			return fail(err, errlen, "topology '%s': expected SOCKETSxCORES[xNODES] with positive numbers, e.g. 2x26",
				    s);
		n++;
		if (!*p)
			break;
		if (*p != 'x' && *p != 'X')
			return fail(err, errlen, "topology '%s': expected SOCKETSxCORES[xNODES], e.g. 2x26", s);
		p++;
	}
	if (n < 2)
		return fail(err, errlen, "topology '%s': expected SOCKETSxCORES[xNODES], e.g. 2x26", s);
	if (v[1] % v[2])
		return fail(err, errlen, "topology '%s': %d nodes per socket do not divide %d cores", s, v[2], v[1]);
	if ((long)v[0] * v[1] > 1024 || (long)v[0] * v[2] > 63)
		return fail(err, errlen, "topology '%s': at most 1024 CPUs and 63 nodes", s);
	t->sockets = v[0];
	t->cores_per_socket = v[1];
	t->nodes_per_socket = v[2];
	return 0;
}

void vt_topology_format(const struct vt_topology *t, char *buf, size_t len)
{
	if (t->nodes_per_socket > 1)
		snprintf(buf, len, "%dx%dx%d", t->sockets, t->cores_per_socket, t->nodes_per_socket);
	else
		snprintf(buf, len, "%dx%d", t->sockets, t->cores_per_socket);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* "12.345" ns -> 12345 ps; digits only, at most three decimals kept exactly. */
static int parse_ns(const char *s, uint64_t *ps)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0, fd = 0;

	for (; isdigit((unsigned char)*s); s++, digits++) {
		whole = whole * 10 + (uint64_t)(*s - '0');
		if (whole > 1000000000000ull)
			return -1;      /* 1000 s per step is no cost */
	}
	if (*s == '.') {
		s++;
		for (; isdigit((unsigned char)*s); s++, digits++)
			if (fd < 3) {
				frac = frac * 10 + (uint64_t)(*s - '0');
				fd++;
			} else if (*s != '0') {
				return -1;      /* finer than a picosecond */
			}
	}
	if (*s || !digits)
		return -1;
	while (fd < 3) {
		frac *= 10;
		fd++;
	}
	*ps = whole * 1000 + frac;
	return 0;
}

int vt_costs_parse(struct vt_cost_file *f, const char *text, const char *name, char *err, size_t errlen)
{
	bool seen[VT_NR_STEPS] = { false }, seen_machine = false, seen_topology = false, seen_window = false;
	char *copy = strdup(text);
	int lineno = 0, r = 0;

	if (!copy)
		return fail(err, errlen, "%s: out of memory", name);
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", name);
	for (char *line = copy, *next; line && !r; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *l = trim(line);
		if (!*l)
			continue;
		char *eq = strchr(l, '=');
		if (!eq) {
			r = fail(err, errlen, "%s:%d: '%.60s': expected key = value", name, lineno, l);
			break;
		}
		*eq = 0;
		char *key = trim(l), *val = trim(eq + 1);
		if (!strcmp(key, "machine")) {
			if (seen_machine || !*val || strlen(val) >= sizeof(f->machine)) {
				r = fail(err, errlen, "%s:%d: key 'machine': %s", name, lineno,
					 seen_machine ? "given twice" : "expected a label of 1..63 characters");
				break;
			}
			seen_machine = true;
			snprintf(f->machine, sizeof(f->machine), "%s", val);
			continue;
		}
		if (!strcmp(key, "topology")) {
			char terr[160];
			if (seen_topology) {
				r = fail(err, errlen, "%s:%d: key 'topology': given twice", name, lineno);
				break;
			}
			if (vt_topology_parse(&f->topology, val, terr, sizeof(terr))) {
				r = fail(err, errlen, "%s:%d: key 'topology': %s", name, lineno, terr);
				break;
			}
			seen_topology = true;
			continue;
		}
		if (!strcmp(key, "cache_window")) {
			if (seen_window || parse_ns(val, &f->costs.window_ps)) {
				r = fail(err, errlen, "%s:%d: key 'cache_window': %s", name, lineno,
					 seen_window ? "given twice" : "not a number of nanoseconds (e.g. 50000)");
				break;
			}
			seen_window = true;
			continue;
		}
		int s;
		for (s = 0; s < VT_NR_STEPS; s++)
			if (!strcmp(key, vt_step_key[s]))
				break;
		if (s == VT_NR_STEPS) {
			r = fail(err, errlen,
				 "%s:%d: unknown key '%.40s' (the keys are alloc/vtime.h's steps, cache_window, machine and topology)",
				 name, lineno, key);
			break;
		}
		if (seen[s]) {
			r = fail(err, errlen, "%s:%d: key '%s': given twice", name, lineno, key);
			break;
		}
		if (parse_ns(val, &f->costs.ps[s])) {
			r = fail(err, errlen, "%s:%d: key '%s': '%.40s' is not a number of nanoseconds (e.g. 12.5)", name, lineno,
				 key, val);
			break;
		}
		seen[s] = true;
	}
	free(copy);
	if (r)
		return r;
	for (int s = 0; s < VT_NR_STEPS; s++)
		if (!seen[s])
			return fail(err, errlen, "%s: no value for key '%s' (%s)", name, vt_step_key[s], vt_step_what[s]);
	if (!seen_window)
		return fail(err, errlen, "%s: no value for key 'cache_window' (how long an untouched struct page stays cached)",
			    name);
	return 0;
}

int vt_costs_read(struct vt_cost_file *f, const char *path, char *err, size_t errlen)
{
	FILE *in = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0;

	if (!in)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > (1u << 20)) {
				fclose(in);
				free(text);
				return fail(err, errlen, "%s: larger than 1 MiB; not a cost file", path);
			}
			char *t = realloc(text, cap);
			if (!t) {
				fclose(in);
				free(text);
				return fail(err, errlen, "%s: out of memory", path);
			}
			text = t;
		}
		size_t n = fread(text + len, 1, 4096, in);
		len += n;
		if (n < 4096)
			break;
	}
	bool bad = ferror(in);
	fclose(in);
	if (bad) {
		free(text);
		return fail(err, errlen, "%s: read error", path);
	}
	text[len] = 0;
	if (memchr(text, 0, len)) {
		free(text);
		return fail(err, errlen, "%s: contains a NUL byte; not a cost file", path);
	}
	int r = vt_costs_parse(f, text, path, err, errlen);
	free(text);
	return r;
}

int vt_costs_write(const struct vt_cost_file *f, const char *header, const char *const *notes, const char *path,
		   char *err, size_t errlen)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *out = fopen(tmp, "w");
	if (!out)
		return fail(err, errlen, "%s: %s", tmp, strerror(errno));
	if (header)
		fputs(header, out);
	if (f->machine[0])
		fprintf(out, "machine = %s\n", f->machine);
	if (f->topology.sockets) {
		char t[32];
		vt_topology_format(&f->topology, t, sizeof(t));
		fprintf(out, "topology = %s\n", t);
	}
	fprintf(out, "\n# how long a struct page's line stays in a CPU's caches untouched\n");
	if (notes && notes[VT_NR_STEPS])
		fprintf(out, "# %s\n", notes[VT_NR_STEPS]);
	fprintf(out, "cache_window = %llu.%03llu\n", (unsigned long long)(f->costs.window_ps / 1000),
		(unsigned long long)(f->costs.window_ps % 1000));
	for (int s = 0; s < VT_NR_STEPS; s++) {
		uint64_t ps = f->costs.ps[s];
		fprintf(out, "\n# %s\n", vt_step_what[s]);
		if (notes && notes[s])
			fprintf(out, "# %s\n", notes[s]);
		fprintf(out, "%s = %llu.%03llu\n", vt_step_key[s], (unsigned long long)(ps / 1000),
			(unsigned long long)(ps % 1000));
	}
	if (fclose(out)) {
		remove(tmp);
		return fail(err, errlen, "%s: write error", tmp);
	}
	if (rename(tmp, path)) {
		remove(tmp);
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	}
	return 0;
}
