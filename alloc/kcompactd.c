// SPDX-License-Identifier: GPL-2.0
/*
 * kcompactd.c - one compaction thread per node (Linux 4.12's kcompactd): kswapd wakes it
 * as it goes to sleep after a high-order wakeup (wakeup_kcompactd, when compaction could
 * help some zone), and it compacts the node's zones for that order (kcompactd_do_work in
 * alloc/compaction.c: deferral respected, MIGRATE_SYNC_LIGHT). Like kswapd it is not a
 * model CPU (no per-CPU lists; counters off-CPU), starts on its first wakeup and stops in
 * machine_destroy. In virtual time it has no thread: the work runs on kswapd's virtual
 * CPU, which is the one that woke it.
 */
#include <stddef.h>

#include "alloc/internal.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"

static void *kcompactd_main(void *arg)
{
	mm_daemon_loop(((pg_data_t *)arg)->kcompactd, kcompactd_do_work);
	return NULL;
}

/* kcompactd_node_suitable: some zone up to classzone_idx where compaction can help. */
static bool kcompactd_node_suitable(pg_data_t *pgdat, int order, int classzone_idx)
{
	for (int z = 0; z <= classzone_idx && z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (managed_zone(zone) && compaction_suitable(zone, order, 0, classzone_idx) == COMPACT_CONTINUE)
			return true;
	}
	return false;
}

void wakeup_kcompactd(pg_data_t *pgdat, int order, int classzone_idx)
{
	struct kswapd *k = pgdat->kcompactd;

	if (!order || !k || atomic_load_explicit(&pgdat->machine->slow->no_daemons, memory_order_relaxed) ||
	    !kcompactd_node_suitable(pgdat, order, classzone_idx))
		return;
	if (VT_ACTIVE()) {
		pthread_mutex_lock(&k->lock);
		k->wakeups++;
		k->runs++;
		pthread_mutex_unlock(&k->lock);
		kcompactd_do_work(pgdat, order, classzone_idx);
		return;
	}
	pthread_mutex_lock(&k->lock);
	if (k->stop) {
		pthread_mutex_unlock(&k->lock);
		return;
	}
	if (!mm_daemon_start_locked(k, kcompactd_main)) {
		pthread_mutex_unlock(&k->lock);
		return;
	}
	if (order > k->order)
		k->order = order;
	if (classzone_idx > k->classzone_idx)
		k->classzone_idx = classzone_idx;
	if (!k->woken) {
		k->woken = true;
		k->wakeups++;
		pthread_cond_signal(&k->wait);
	}
	pthread_mutex_unlock(&k->lock);
}

unsigned long kcompactd_runs(struct machine *m)
{
	return mm_daemon_sum(m, true, offsetof(struct kswapd, runs));
}
