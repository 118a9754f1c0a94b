// SPDX-License-Identifier: GPL-2.0
/*
 * replay_output.c - a replay's result, kernel and model side by side: the Markdown table
 * and the JSON.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "replay/pfnmap.h"
#include "replay/replay.h"
#include "pcp/pcp.h"

#define MAX_CATCHUP_TICKS 64	/* after a long idle gap: (7/8)^64 of high is left anyway */
#define MAX_LOG_CPUS 256	/* --log covers the ticks of this many CPUs */
#include "replay/replay_internal.h"

/* --- output --- */

static const char *thousands(uint64_t v, char *buf, size_t size)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%" PRIu64, v), o = 0;

	for (int i = 0; i < n && (size_t)o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

static void ratio(double k, double mo, char *buf, size_t size)
{
	if (k > 0)
		snprintf(buf, size, "%+.1f%%", 100.0 * (mo - k) / k);
	else
		snprintf(buf, size, "%s", mo > 0 ? "n/a" : "=");
}

static void row_count(FILE *out, const char *what, uint64_t k, uint64_t mo)
{
	char a[32], b[32], c[32];

	ratio((double)k, (double)mo, c, sizeof(c));
	fprintf(out, "| %s | %s | %s | %s |\n", what, thousands(k, a, sizeof(a)), thousands(mo, b, sizeof(b)), c);
}

static void row_rate(FILE *out, const char *what, double k, double mo)
{
	char c[32];

	ratio(k, mo, c, sizeof(c));
	fprintf(out, "| %s | %.1f | %.1f | %s |\n", what, k, mo, c);
}

void replay_print_table(const struct replay_result *r, const char *name, FILE *out)
{
	const struct replay_side *k = &r->kernel, *mo = &r->model;
	const struct replay_model_extra *x = &r->extra;
	char a[32], b[32], c[32], d[32], phase[96];
	double eps = r->seconds > 0 ? (double)r->counts.events / r->seconds : 0;

	if (x->tick_phase_ns < 0)
		snprintf(phase, sizeof(phase), "none");
	else if (!strcmp(x->tick_phase_from, "trace"))
		snprintf(phase, sizeof(phase), "+%.3f s, from %u kworker drain runs", (double)x->tick_phase_ns / 1e9,
			 x->tick_phase_seen);
	else
		snprintf(phase, sizeof(phase), "+%.3f s, %s", (double)x->tick_phase_ns / 1e9, x->tick_phase_from);

	fprintf(out, "Replay of %s on the model (%s policy, %u trace CPUs): %s lines, %s events, %.2f s of trace, "
		     "replayed in %.3f s (%.2f M events/s)\n\n",
		name, r->policy, r->trace_cpus, thousands(r->counts.lines, a, sizeof(a)),
		thousands(r->counts.events, b, sizeof(b)), r->trace_seconds, r->seconds, eps / 1e6);
	fprintf(out, "| figure | kernel | model | model vs kernel |\n| --- | ---: | ---: | ---: |\n");
	row_count(out, "allocations", k->allocs, mo->allocs);
	row_count(out, "frees", k->frees, mo->frees);
	row_count(out, "blocks refilled under zone->lock (pcp refill)", k->refill_blocks, mo->refill_blocks);
	row_rate(out, "**refilled blocks per 1,000 allocations**", replay_per_1k(k->refill_blocks, k->allocs),
		 replay_per_1k(mo->refill_blocks, mo->allocs));
	row_count(out, "refill runs (zone->lock holds; model: PCP_STAT_REFILL)", k->refill_runs, mo->refill_runs);
	row_count(out, "blocks drained from pcp lists", k->drain_blocks, mo->drain_blocks);
	row_rate(out, "**drained blocks per 1,000 frees**", replay_per_1k(k->drain_blocks, k->frees),
		 replay_per_1k(mo->drain_blocks, mo->frees));
	row_count(out, "drain runs (model: PCP_STAT_DRAIN)", k->drain_runs, mo->drain_runs);
	row_count(out, "blocks taken under zone->lock directly (not a refill)", k->direct_blocks, mo->direct_blocks);
	row_count(out, "fallback (extfrag) events (model: PGALLOC_EXTFRAG)", k->extfrag, mo->extfrag);
	row_count(out, "refilled base pages (1 << order each)", k->refill_base_pages, mo->refill_base_pages);
	row_count(out, "drained base pages", k->drain_base_pages, mo->drain_base_pages);
	if (r->reclaim_events) {
		row_rate(out, "kswapd wakeups per 1,000 allocations (model: a slow path found the node unbalanced, kswapd asleep since it was balanced)",
			 replay_per_1k(k->kswapd_wakeups, k->allocs), replay_per_1k(mo->kswapd_wakeups, mo->allocs));
		row_rate(out, "direct reclaim entries per 1,000 allocations (model: allocstall)",
			 replay_per_1k(k->direct_reclaims, k->allocs), replay_per_1k(mo->direct_reclaims, mo->allocs));
		row_rate(out, "compaction runs per 1,000 allocations (model: compact_stall)",
			 replay_per_1k(k->compactions, k->allocs), replay_per_1k(mo->compactions, mo->allocs));
	}
	fprintf(out, "| pcp hit rate (model only: no kernel counter) | - | %.2f%% | |\n",
		x->pcp_allocs ? 100.0 * (double)x->pcp_hits / (double)x->pcp_allocs : 0.0);
	fprintf(out, "\nRefill and drain counts are blocks of any order on both sides (the kernel prints one line per "
		     "block); per-1,000 figures divide by each side's own allocations and frees.\n");
	fprintf(out, "Model: %s allocation failures; %s frees of pfns never seen allocated (allocated before the "
		     "capture), %s of them replayed from blocks taken outside the counters, the rest skipped; "
		     "%s frees of failed allocations skipped; %s blocks freed when their pfn was allocated again (untraced frees); "
		     "%s mm_page_free_batched annotations; %s free-order mismatches; %s pages seeded onto the lists (%s); "
		     "%s pages in use from the start (the capture's buddyinfo); "
		     "%" PRIu64 " vmstat ticks (phase %s); %s pfns live at most.\n",
		thousands(x->alloc_failures, a, sizeof(a)), thousands(x->frees_unknown, b, sizeof(b)),
		thousands(x->frees_unknown_replayed, (char[32]){ 0 }, 32),
		thousands(x->frees_of_failed, c, sizeof(c)), thousands(x->frees_untraced, d, sizeof(d)),
		thousands(x->frees_batched, (char[32]){ 0 }, 32), thousands(x->free_order_mismatch, (char[32]){ 0 }, 32),
		thousands(x->seeded_pages, (char[32]){ 0 }, 32), x->prefill, thousands(x->occupied_pages, (char[32]){ 0 }, 32),
		x->ticks, phase,
		thousands(x->live_max, (char[32]){ 0 }, 32));
	if (x->frees_unknown > x->frees_unknown_replayed && (x->frees_unknown - x->frees_unknown_replayed) * 100 > k->frees)
		fprintf(out, "Note: %.1f%% of the kernel's frees were of blocks allocated before the capture and are "
			     "not in the model's figures; the kernel's per-CPU lists did take them: "
			     "--skip-unknown-frees skipped them.\n",
			100.0 * (double)(x->frees_unknown - x->frees_unknown_replayed) / (double)k->frees);
	if (r->counts.bad_lines || r->kernel_stats.unknown_events || x->gfp_synthesized || x->migratetype_fixed)
		fprintf(out, "Trace: %s malformed lines skipped, %s unknown events, %s allocations with a raw-hex gfp "
			     "(replayed as GFP_KERNEL), %s with the trace's migratetype put over the gfp's.\n",
			thousands(r->counts.bad_lines, a, sizeof(a)), thousands(r->kernel_stats.unknown_events, b, sizeof(b)),
			thousands(x->gfp_synthesized, c, sizeof(c)), thousands(x->migratetype_fixed, d, sizeof(d)));
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static void json_side(FILE *out, const struct replay_side *s)
{
	fprintf(out,
		"{\"allocs\": %" PRIu64 ", \"frees\": %" PRIu64 ", \"refill_pages\": %" PRIu64
		", \"refill_pages_per_1k_allocs\": %.3f, \"refill_runs\": %" PRIu64 ", \"refill_base_pages\": %" PRIu64
		", \"drain_pages\": %" PRIu64 ", \"drain_pages_per_1k_frees\": %.3f, \"drain_runs\": %" PRIu64
		", \"drain_base_pages\": %" PRIu64 ", \"direct_pages\": %" PRIu64 ", \"direct_base_pages\": %" PRIu64
		", \"extfrag\": %" PRIu64 ", \"kswapd_wakeups\": %" PRIu64 ", \"direct_reclaims\": %" PRIu64
		", \"compactions\": %" PRIu64,
		s->allocs, s->frees, s->refill_blocks, replay_per_1k(s->refill_blocks, s->allocs), s->refill_runs,
		s->refill_base_pages, s->drain_blocks, replay_per_1k(s->drain_blocks, s->frees), s->drain_runs,
		s->drain_base_pages, s->direct_blocks, s->direct_base_pages, s->extfrag, s->kswapd_wakeups,
		s->direct_reclaims, s->compactions);
}

void replay_print_json(const struct replay_result *r, const char *name, FILE *out)
{
	const struct replay_model_extra *x = &r->extra;

	fprintf(out, "{\"trace\": ");
	json_string(out, name);
	fprintf(out, ", \"policy\": ");
	json_string(out, r->policy);
	fprintf(out, ", \"units\": \"refill/drain/direct *_pages count blocks of any order (one kernel trace line "
		     "each); *_base_pages weight them by 1 << order\",\n \"kernel\": ");
	json_side(out, &r->kernel);
	fprintf(out, "},\n \"model\": ");
	json_side(out, &r->model);
	fprintf(out,
		", \"pcp_hit_rate\": %.6f, \"pcp_allocs\": %" PRIu64 ", \"pcp_hits\": %" PRIu64
		", \"alloc_failures\": %" PRIu64 "},\n",
		x->pcp_allocs ? (double)x->pcp_hits / (double)x->pcp_allocs : 0.0, x->pcp_allocs, x->pcp_hits,
		x->alloc_failures);
	fprintf(out,
		" \"replay\": {\"lines\": %" PRIu64 ", \"events\": %" PRIu64 ", \"bad_lines\": %" PRIu64
		", \"unknown_events\": %" PRIu64 ", \"trace_cpus\": %u, \"trace_seconds\": %.6f, \"seconds\": %.6f"
		", \"events_per_s\": %.0f, \"frees_unknown\": %" PRIu64 ", \"frees_unknown_replayed\": %" PRIu64
		", \"frees_of_failed\": %" PRIu64
		", \"frees_untraced\": %" PRIu64 ", \"frees_batched\": %" PRIu64 ", \"free_order_mismatch\": %" PRIu64
		", \"gfp_synthesized\": %" PRIu64 ", \"migratetype_fixed\": %" PRIu64 ", \"ticks\": %" PRIu64
		", \"tick_phase_ns\": %" PRId64 ", \"tick_phase_from\": \"%s\", \"tick_phase_seen\": %u"
		", \"seeded_pages\": %" PRIu64 ", \"prefill\": \"%s\", \"live_max\": %" PRIu64
		", \"live_end\": %" PRIu64 "}}\n",
		r->counts.lines, r->counts.events, r->counts.bad_lines, r->kernel_stats.unknown_events, r->trace_cpus,
		r->trace_seconds, r->seconds, r->seconds > 0 ? (double)r->counts.events / r->seconds : 0.0,
		x->frees_unknown, x->frees_unknown_replayed, x->frees_of_failed, x->frees_untraced, x->frees_batched, x->free_order_mismatch,
		x->gfp_synthesized, x->migratetype_fixed, x->ticks, x->tick_phase_ns, x->tick_phase_from, x->tick_phase_seen, x->seeded_pages,
		x->prefill, x->live_max, x->live_end);
}

