/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rcu.h - the zonelists' RCU (liburcu, memb flavour, read side inlined with _LGPL_SOURCE).
 *
 * Readers: zonelist_read_lock() before node_zonelist(), zonelist_read_unlock() after the
 * last use of the list or any zoneref in it (the whole __alloc_pages_nodemask call).
 * alloc_pages_node's fast path reads no list: it uses the head each CPU copied from its
 * list inside a read-side section, while zonelist_generation is the copy's (page_alloc.c).
 * Writers: publish with an atomic exchange, zonelist_synchronize(), then free the old list.
 * The thread must be registered (cpu_bind does it). Read sections nest and never block
 * a writer's publication; they must not call anything that waits for a grace period
 * (build_all_zonelists, memory hotplug).
 *
 * ThreadSanitizer does not see liburcu's ordering (membarrier and volatile accesses), so
 * under it each read-side unlock releases, and each grace period acquires, one TSan sync
 * object: every reader that finished before the grace period happens-before the free.
 * Use these wrappers rather than urcu_memb_read_unlock() directly where a list is read.
 */
#ifndef ALLOC_RCU_H
#define ALLOC_RCU_H

#include <stdio.h>

/*
 * The read side is built as liburcu's CONFIG_RCU_FORCE_SYS_MEMBARRIER builds it: lock and
 * unlock are plain stores with compiler barriers, without testing
 * urcu_memb_has_sys_membarrier three times per section (about 10 instructions on every
 * allocation). That is correct only where liburcu found sys_membarrier at start-up, so
 * machine_create() calls zonelist_rcu_check() and refuses to build a machine otherwise.
 */
#ifndef _LGPL_SOURCE
#define _LGPL_SOURCE
#endif
#define CONFIG_RCU_FORCE_SYS_MEMBARRIER 1
#include <urcu/urcu-memb.h>

/* The library's own flag, under another C name (the header made its name a constant). */
extern int zonelist_urcu_has_sys_membarrier __asm__("urcu_memb_has_sys_membarrier");

static inline int zonelist_rcu_check(char *err, size_t errlen)
{
	if (zonelist_urcu_has_sys_membarrier)
		return 0;
	snprintf(err, errlen, "liburcu found no sys_membarrier on this host; the zonelists' RCU read side needs it");
	return -1;
}

#if defined(__SANITIZE_THREAD__)
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
extern char zonelist_rcu_tsan_sync;
#define ZONELIST_TSAN_RELEASE() __tsan_release(&zonelist_rcu_tsan_sync)
#define ZONELIST_TSAN_ACQUIRE() __tsan_acquire(&zonelist_rcu_tsan_sync)
#else
#define ZONELIST_TSAN_RELEASE() do { } while (0)
#define ZONELIST_TSAN_ACQUIRE() do { } while (0)
#endif

static inline void zonelist_read_lock(void) { urcu_memb_read_lock(); }
static inline void zonelist_read_unlock(void)
{
	ZONELIST_TSAN_RELEASE();
	urcu_memb_read_unlock();
}
static inline void zonelist_synchronize(void)
{
	urcu_memb_synchronize_rcu();
	ZONELIST_TSAN_ACQUIRE();
}

#endif /* ALLOC_RCU_H */
