/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qspinlock.h - zone->lock as the kernel's queued spinlock (kernel/locking/qspinlock.c):
 * an uncontended lock is one compare-and-swap; the first waiter spins on the lock word
 * (the pending bit); later ones queue in FIFO order, each spinning on its own MCS node,
 * and the lock passes down the queue in arrival order.
 *
 * The lock word is one pointer-sized value:
 *
 *     bits 63..2  the queue's tail: the last waiter's MCS node (NULL: no queue)
 *     bit  1      pending: the first waiter, spinning on the word itself
 *     bit  0      locked
 *
 * A guest whose hypervisor has no paravirtual spinlocks replaces the queue with a
 * test-and-set lock (virt_spin_lock()), because a queue hands the lock to waiters that
 * may not be running. Threads of this model are in that position whenever its CPUs and
 * kswapds outnumber the host's CPUs (the queue would convoy behind preempted threads),
 * so such a machine's zone locks are test-and-set unless --zone-lock says otherwise.
 */
#ifndef ALLOC_QSPINLOCK_H
#define ALLOC_QSPINLOCK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define _Q_LOCKED_VAL   1UL
#define _Q_PENDING_VAL  2UL
#define _Q_TAIL_MASK    (~3UL)

struct qspinlock {
	_Atomic uintptr_t val;
	bool virt_tas;          /* virt_spin_lock(): test-and-set, no queue (set at boot) */
};

/* One waiter's queue node; a thread has MAX_NODES of them for nested locks. */
struct mcs_spinlock {
	_Atomic(struct mcs_spinlock *) next;
	_Atomic int locked;     /* set by the predecessor when the queue's head passes to us */
	int count;              /* nesting depth, in the thread's first node only */
} __attribute__((aligned(64)));

static inline bool queued_spin_trylock(struct qspinlock *l)
{
	uintptr_t v = atomic_load_explicit(&l->val, memory_order_relaxed);

	return !v && atomic_compare_exchange_strong_explicit(&l->val, &v, _Q_LOCKED_VAL, memory_order_acquire,
							     memory_order_relaxed);
}

void queued_spin_lock_slowpath(struct qspinlock *l);

static inline void queued_spin_lock(struct qspinlock *l)
{
	if (__builtin_expect(queued_spin_trylock(l), 1))
		return;
	queued_spin_lock_slowpath(l);
}

/*
 * The tail and pending bit may change under us: clear only the locked bit. A test-and-set
 * lock's word is only ever 0 or locked, so a store does (the kernel's byte store).
 */
static inline void queued_spin_unlock(struct qspinlock *l)
{
	if (l->virt_tas)
		atomic_store_explicit(&l->val, 0, memory_order_release);
	else
		atomic_fetch_and_explicit(&l->val, ~_Q_LOCKED_VAL, memory_order_release);
}

static inline bool queued_spin_is_locked(struct qspinlock *l)
{
	return atomic_load_explicit(&l->val, memory_order_relaxed) & _Q_LOCKED_VAL;
}

/* What the word shows (tests): the pending bit, and the tail node. */
static inline bool queued_spin_pending(struct qspinlock *l)
{
	return atomic_load_explicit(&l->val, memory_order_acquire) & _Q_PENDING_VAL;
}
static inline struct mcs_spinlock *queued_spin_tail(struct qspinlock *l)
{
	return (struct mcs_spinlock *)(atomic_load_explicit(&l->val, memory_order_acquire) & _Q_TAIL_MASK);
}

#endif /* ALLOC_QSPINLOCK_H */
