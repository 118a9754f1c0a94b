/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - streaming reader for `perf script` text of the kernel's kmem page
 * allocator tracepoints (see ../shared/traces/README.md for how traces are made).
 *
 * One line per event, perf script's default layout:
 *
 *     COMM  PID [CPU] SECONDS.FRACTION: kmem:EVENT: key=value key=value ...
 *
 * COMM may contain spaces (and even brackets): the header is found by looking for
 * " [" DIGITS "]" followed by a timestamp "DIGITS.DIGITS:".  PID may be "PID/TID", or "-1"
 * (perf, for a task it cannot name: COMM ":-1").
 * The "kmem:" prefix is optional.  Blank lines and lines starting with '#' are
 * skipped; a trailing '\r' is ignored; the last line needs no '\n'.
 *
 * Input is a file, stdin ("-" or NULL) or a memory buffer; xz data (.xz, also
 * concatenated streams) is recognised by its magic bytes, whatever the name, and
 * decompressed on the fly with liblzma (no temporary files).  gzip/zstd/bzip2
 * input is refused with a message saying so.
 *
 * Errors: trace_next() returns -1 and trace_error() says what and where, e.g.
 * "line 123: mm_page_alloc: missing pfn= field".  With TRACE_SKIP_BAD, malformed
 * lines are counted and skipped instead (the first few are reported through the
 * warning callback).  Unknown events and unknown gfp names are never errors: they
 * are counted per distinct name, reported once each through the warning callback
 * (default: stderr) and listed by trace_unknowns() / trace_summary().
 */
#ifndef BENCH_REPLAY_TRACE_H
#define BENCH_REPLAY_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "alloc/gfp.h"

#define TRACE_PFN_LIMIT (1ULL << 40)   /* 52-bit physical addresses, 4 KiB frames */
#define TRACE_PFN_NONE  (~0ULL)          /* mm_page_alloc of a failed allocation: pfn=-1UL */

enum trace_event_type {
	TRACE_MM_PAGE_ALLOC,		/* page= pfn= order= migratetype= gfp_flags= */
	TRACE_MM_PAGE_FREE,		/* page= pfn= order= */
	TRACE_MM_PAGE_FREE_BATCHED,	/* page= pfn= [order=]: also had its mm_page_free */
	TRACE_MM_PAGE_ALLOC_ZONE_LOCKED, /* page= pfn= order= migratetype= percpu_refill= */
	TRACE_MM_PAGE_PCPU_DRAIN,	/* page= pfn= order= migratetype= */
	TRACE_MM_PAGE_ALLOC_EXTFRAG,	/* page= pfn= alloc_order= fallback_order= ... */
	TRACE_UNKNOWN,			/* any other event: header fields only */
	TRACE_NR_TYPES
};

struct trace_event {
	enum trace_event_type type;
	uint32_t cpu;
	uint64_t ts_ns;			/* SECONDS.FRACTION in nanoseconds */
	uint64_t line;			/* 1-based line number in the (decompressed) input */
	uint64_t pfn;			/* pfn= (hex with 0x, else decimal); 0 for TRACE_UNKNOWN; below
					 * TRACE_PFN_LIMIT, or TRACE_PFN_NONE (a failed mm_page_alloc) */
	int32_t order;			/* order= (extfrag: alloc_order=); -1 when absent */
	int32_t migratetype;		/* migratetype= (extfrag: alloc_migratetype=); -1 when absent */
	gfp_t gfp;			/* gfp_flags= via gfp_parse(); 0 when absent */
	uint16_t gfp_unknown;		/* names in gfp_flags= that gfp_parse() did not know */
	int8_t percpu_refill;		/* zone_locked: 0 or 1; -1 otherwise */
	int8_t fragmenting;		/* extfrag: fragmenting=; -1 when absent */
	int8_t change_ownership;	/* extfrag: change_ownership=; -1 when absent */
	int32_t fallback_order;		/* extfrag: fallback_order=; -1 otherwise */
	int32_t fallback_migratetype;	/* extfrag: fallback_migratetype=; -1 otherwise */
	uint32_t pid;			/* UINT32_MAX: perf printed -1 (task unknown) */
	/* Point into the reader's buffer: valid until the next trace_next()/trace_close(). */
	const char *comm;		/* without padding; may contain spaces */
	uint32_t comm_len;
	uint32_t name_len;
	const char *name;		/* event as printed, without the final ':' ("kmem:mm_page_free") */
};

/* Reader options (trace_set_flags). */
#define TRACE_SKIP_BAD	(1u << 0)	/* count and skip malformed lines instead of failing */

struct trace_counts {
	uint64_t lines;			/* lines read, including skipped ones */
	uint64_t events;		/* events returned (TRACE_UNKNOWN included) */
	uint64_t by_type[TRACE_NR_TYPES];
	uint64_t blank_lines;		/* blank or '#' lines, skipped silently */
	uint64_t bad_lines;		/* malformed lines skipped under TRACE_SKIP_BAD */
	uint64_t unknown_gfp_events;	/* events whose gfp_flags= had an unknown name */
	uint64_t unknown_names_dropped;	/* unknown names beyond the table's limit (counted only) */
	uint64_t bytes;			/* text bytes read (after decompression; memory text: all at open) */
	uint64_t compressed_bytes;	/* bytes read from an xz input; 0 for text */
};

enum trace_unknown_kind {
	TRACE_UNKNOWN_EVENT,		/* an event name other than the six above */
	TRACE_UNKNOWN_GFP,		/* a name in gfp_flags= (a raw hex value included) */
};

struct trace_unknown {
	enum trace_unknown_kind kind;
	const char *name;		/* owned by the reader, NUL-terminated (may hold NULs: use len) */
	size_t len;
	uint64_t count;			/* events carrying it */
	uint64_t first_line;
};

struct trace_reader;

/*
 * Opens a file, or stdin for NULL or "-".  Returns NULL with a message in err
 * (when errlen > 0) if the file cannot be opened or its format is refused.
 */
struct trace_reader *trace_open(const char *path, char *err, size_t errlen);
/*
 * Reads from memory (text or xz).  The buffer is not copied: it must stay valid
 * and unchanged until trace_close().  Lines are never written to.
 */
struct trace_reader *trace_open_mem(const void *buf, size_t len, char *err, size_t errlen);
void trace_close(struct trace_reader *r);

void trace_set_flags(struct trace_reader *r, unsigned int flags);

/*
 * Warnings (each unknown name once, the first skipped bad lines): msg is one line
 * without '\n', e.g. "line 7: unknown event 'sched:sched_switch' (counted, reported
 * once)".  Default: printed to stderr prefixed with "trace: ".  fn == NULL: silent.
 */
typedef void (*trace_warn_fn)(void *ctx, const char *msg);
void trace_set_warn(struct trace_reader *r, trace_warn_fn fn, void *ctx);

/*
 * 1: *ev holds the next event; 0: end of input; -1: error (see trace_error()).
 * An error is final: later calls return -1 again.
 */
int trace_next(struct trace_reader *r, struct trace_event *ev);

/* The last error ("" if none): "line N: what was wrong" or an I/O / xz message. */
const char *trace_error(const struct trace_reader *r);

const struct trace_counts *trace_counts(const struct trace_reader *r);

/* Distinct unknown names in order of first appearance; valid until the next trace_next(). */
size_t trace_unknowns(const struct trace_reader *r, const struct trace_unknown **list);

/* Counts, bad lines and every unknown name with its count, one per line. */
void trace_summary(const struct trace_reader *r, FILE *out);

/* "mm_page_alloc", ..., "unknown". */
const char *trace_event_type_name(enum trace_event_type type);
/* One of scripts/capture-trace's reclaim and compaction events (counted by replay, no warning). */
bool trace_reclaim_event(const char *name, size_t len);

#endif /* BENCH_REPLAY_TRACE_H */
