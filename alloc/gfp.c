// SPDX-License-Identifier: GPL-2.0
/*
 * gfp.c - parse and print gfp flag names.
 *
 * Both directions are driven by the tables in gfp.h, so a name the printer emits
 * is always a name the parser accepts.
 *
 * Printing follows the kernel's show_gfp_flags(): composites are tried in table
 * order (GFP_COMPOSITES) and each one whose bits are all still set is printed and
 * its bits cleared; what remains is printed as single __GFP_* bits in bit order,
 * and any bit the table does not name as a hex value.  0 prints as "none".
 *
 * Parsing accepts what the printer writes, plus "__GFP_RECLAIM" (which the kernel
 * prints) and blanks around names.  A raw hex value ("0x400dc0") is a kernel
 * value whose bit positions are not the model's: it is counted as unknown and
 * contributes no bits.  The empty string is 0 with nothing unknown; an empty name
 * between separators ("A||B", "A|") is an unknown name of length 0.
 */
#include "alloc/gfp.h"

#include <stdio.h>
#include <string.h>

struct gfp_name {
	const char *name;
	unsigned char len;
	gfp_t mask;
};

#define GFP_NAME_ROW(n) { #n, (unsigned char)(sizeof(#n) - 1), (n) },
#define GFP_BIT_ROW(n, bit) { #n, (unsigned char)(sizeof(#n) - 1), 1u << (bit) },

static const struct gfp_name gfp_composites[] = {
	GFP_COMPOSITES(GFP_NAME_ROW)
};

static const struct gfp_name gfp_singles[] = {
	GFP_BITS(GFP_BIT_ROW)
};

/* Names the parser accepts that the printer never emits. */
static const struct gfp_name gfp_aliases[] = {
	GFP_NAME_ROW(__GFP_RECLAIM)
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const struct gfp_name *lookup(const struct gfp_name *tab, size_t n,
				     const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].len == len && memcmp(tab[i].name, s, len) == 0)
			return &tab[i];
	return NULL;
}

static int name_to_mask(const char *s, size_t len, gfp_t *mask)
{
	const struct gfp_name *e = NULL;

	if (len == 4 && memcmp(s, "none", 4) == 0) {
		*mask = 0;
		return 1;
	}
	/* Every name starts with "GFP_" or "__GFP_": cheap filter before the tables. */
	if (len > 4 && s[0] == 'G')
		e = lookup(gfp_composites, ARRAY_SIZE(gfp_composites), s, len);
	else if (len > 6 && s[0] == '_') {
		e = lookup(gfp_singles, ARRAY_SIZE(gfp_singles), s, len);
		if (!e)
			e = lookup(gfp_aliases, ARRAY_SIZE(gfp_aliases), s, len);
	}
	if (!e)
		return 0;
	*mask = e->mask;
	return 1;
}

int gfp_parse(const char *s, size_t len, gfp_t *out, const char **unknown, size_t *unknown_len)
{
	const char *end = s + len;
	gfp_t acc = 0;
	int nunknown = 0;

	if (unknown)
		*unknown = NULL;
	if (unknown_len)
		*unknown_len = 0;

	while (s < end && is_blank(*s))
		s++;
	while (end > s && is_blank(end[-1]))
		end--;
	if (s == end) {
		*out = 0;
		return 0;
	}

	for (;;) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		const char *name_end = bar ? bar : end;
		const char *a = s, *b = name_end;
		gfp_t mask;

		while (a < b && is_blank(*a))
			a++;
		while (b > a && is_blank(b[-1]))
			b--;
		if (name_to_mask(a, (size_t)(b - a), &mask)) {
			acc |= mask;
		} else {
			/* Includes raw hex values: kernel bit positions, not ours. */
			if (nunknown == 0) {
				if (unknown)
					*unknown = a;
				if (unknown_len)
					*unknown_len = (size_t)(b - a);
			}
			nunknown++;
		}
		if (!bar)
			break;
		s = bar + 1;
	}
	*out = acc;
	return nunknown;
}

/* Appends to buf like snprintf; *pos counts what would have been written. */
static void put(char *buf, size_t size, size_t *pos, const char *s, size_t len)
{
	if (*pos < size) {
		size_t room = size - *pos - 1;	/* keep one byte for the NUL */
		size_t n = len < room ? len : room;

		memcpy(buf + *pos, s, n);
		buf[*pos + n] = '\0';
	}
	*pos += len;
}

int gfp_format(gfp_t gfp, char *buf, size_t size)
{
	size_t pos = 0;
	int first = 1;

	if (size)
		buf[0] = '\0';
	if (gfp == 0) {
		put(buf, size, &pos, "none", 4);
		return (int)pos;
	}

	for (size_t i = 0; i < ARRAY_SIZE(gfp_composites); i++) {
		gfp_t m = gfp_composites[i].mask;

		if (m && (gfp & m) == m) {
			if (!first)
				put(buf, size, &pos, "|", 1);
			put(buf, size, &pos, gfp_composites[i].name, gfp_composites[i].len);
			first = 0;
			gfp &= ~m;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(gfp_singles); i++) {
		gfp_t m = gfp_singles[i].mask;

		if (gfp & m) {
			if (!first)
				put(buf, size, &pos, "|", 1);
			put(buf, size, &pos, gfp_singles[i].name, gfp_singles[i].len);
			first = 0;
			gfp &= ~m;
		}
	}
	if (gfp) {
		char hex[2 + 2 * sizeof(gfp_t) + 1];
		int n = snprintf(hex, sizeof(hex), "0x%x", gfp);

		if (!first)
			put(buf, size, &pos, "|", 1);
		put(buf, size, &pos, hex, (size_t)n);
	}
	return (int)pos;
}
