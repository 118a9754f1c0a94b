// SPDX-License-Identifier: GPL-2.0
/*
 * qspinlock.c - the queued spinlock's slow path (see qspinlock.h), after
 * kernel/locking/qspinlock.c: pending, then the MCS queue; and virt_spin_lock's
 * test-and-set for machines whose threads may not all be running.
 */
#include <sched.h>

#include "alloc/qspinlock.h"

#define MAX_NODES       4       /* the kernel's: task, softirq, hardirq, NMI; here nested locks */
#define SPINS_BEFORE_YIELD 4096 /* a waiter whose thread lost its host CPU lets it run again */

static _Thread_local struct mcs_spinlock qnodes[MAX_NODES];

static inline void cpu_relax(unsigned *spins)
{
	if (++*spins % SPINS_BEFORE_YIELD == 0)
		sched_yield();
	else
		__builtin_ia32_pause();
}

/* virt_spin_lock: test-and-test-and-set, whoever sees it free first takes it. */
static void virt_spin_lock(struct qspinlock *l)
{
	unsigned spins = 0;

	for (;;) {
		while (atomic_load_explicit(&l->val, memory_order_relaxed))
			cpu_relax(&spins);
		uintptr_t zero = 0;
		if (atomic_compare_exchange_weak_explicit(&l->val, &zero, _Q_LOCKED_VAL, memory_order_acquire,
							  memory_order_relaxed))
			return;
	}
}

void queued_spin_lock_slowpath(struct qspinlock *l)
{
	unsigned spins = 0;
	uintptr_t val;

	if (l->virt_tas) {
		virt_spin_lock(l);
		return;
	}
	/*
	 * Pending: the lock is held and nobody waits - be the one waiter that spins on the
	 * word itself, then take it as the holder lets go (clear_pending_set_locked).
	 */
	val = atomic_load_explicit(&l->val, memory_order_relaxed);
	if (!(val & ~_Q_LOCKED_VAL) &&
	    atomic_compare_exchange_strong_explicit(&l->val, &val, val | _Q_PENDING_VAL, memory_order_acquire,
						    memory_order_relaxed)) {
		while (atomic_load_explicit(&l->val, memory_order_acquire) & _Q_LOCKED_VAL)
			cpu_relax(&spins);
		atomic_fetch_add_explicit(&l->val, _Q_LOCKED_VAL - _Q_PENDING_VAL, memory_order_acquire);
		return;
	}

	/* Queue: our node becomes the tail; the previous tail links to us and hands over. */
	if (qnodes[0].count >= MAX_NODES) {     /* nested too deep: spin on the word, as the kernel does */
		virt_spin_lock(l);
		return;
	}
	struct mcs_spinlock *node = &qnodes[qnodes[0].count++];
	atomic_store_explicit(&node->next, NULL, memory_order_relaxed);
	atomic_store_explicit(&node->locked, 0, memory_order_relaxed);
	val = atomic_load_explicit(&l->val, memory_order_relaxed);
	while (!atomic_compare_exchange_weak_explicit(&l->val, &val, (val & ~_Q_TAIL_MASK) | (uintptr_t)node,
						      memory_order_acq_rel, memory_order_relaxed))
		;
	struct mcs_spinlock *prev = (struct mcs_spinlock *)(val & _Q_TAIL_MASK);
	if (prev) {
		atomic_store_explicit(&prev->next, node, memory_order_release);
		while (!atomic_load_explicit(&node->locked, memory_order_acquire))
			cpu_relax(&spins);
	}

	/* The queue's head: wait for the holder and the pending waiter to be done. */
	while ((val = atomic_load_explicit(&l->val, memory_order_acquire)) & (_Q_LOCKED_VAL | _Q_PENDING_VAL))
		cpu_relax(&spins);
	/* Last in the queue: take the lock and empty the queue at once. */
	if ((val & _Q_TAIL_MASK) == (uintptr_t)node &&
	    atomic_compare_exchange_strong_explicit(&l->val, &val, _Q_LOCKED_VAL, memory_order_acquire,
						    memory_order_relaxed))
		goto release;
	/* Someone queued behind us: take the lock, then make them the head. */
	atomic_fetch_or_explicit(&l->val, _Q_LOCKED_VAL, memory_order_acquire);
	struct mcs_spinlock *next;
	while (!(next = atomic_load_explicit(&node->next, memory_order_acquire)))
		cpu_relax(&spins);
	atomic_store_explicit(&next->locked, 1, memory_order_release);
release:
	qnodes[0].count--;
}
