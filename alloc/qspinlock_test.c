// SPDX-License-Identifier: GPL-2.0
/*
 * qspinlock_test.c - zone->lock's queued spinlock: the word's states, FIFO hand-off on a
 * scripted case, mutual exclusion under real threads (and ThreadSanitizer), and the
 * virt_spin_lock choice.
 */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "alloc/qspinlock.h"
#include "alloc/testing.h"

/*
 * One thread: lock is one CAS to LOCKED; trylock fails while held; unlock clears it.
 * Expect: val 0 -> 1 -> 0, trylock false while held, no pending, no tail.
 */
static void uncontended_lock_is_one_word(void)
{
	struct qspinlock l = { 0 };

	CHECK(queued_spin_trylock(&l));
	CHECK_EQ(atomic_load(&l.val), _Q_LOCKED_VAL);
	CHECK(!queued_spin_trylock(&l));
	queued_spin_unlock(&l);
	CHECK_EQ(atomic_load(&l.val), 0);
	queued_spin_lock(&l);
	CHECK(queued_spin_is_locked(&l) && !queued_spin_pending(&l) && !queued_spin_tail(&l));
	queued_spin_unlock(&l);
	CHECK_EQ(atomic_load(&l.val), 0);
}

#define NWAIT 5
static struct qspinlock fifo_lock;
static _Atomic int order[NWAIT], nr_done;
static _Atomic int started[NWAIT];

static void *waiter(void *arg)
{
	int id = (int)(intptr_t)arg;

	atomic_store(&started[id], 1);
	queued_spin_lock(&fifo_lock);
	order[atomic_fetch_add(&nr_done, 1)] = id;
	queued_spin_unlock(&fifo_lock);
	return NULL;
}

/*
 * FIFO: the main thread holds the lock; waiters 0..4 arrive one at a time, each only once
 * the previous one shows in the word (0 as pending, 1 as the tail, 2.. as the new tail):
 *
 *   word: LOCKED | PENDING(w0) | tail -> w4 -> ... (queue w1 w2 w3 w4)
 *
 * Expect: after the unlock they take the lock in arrival order 0, 1, 2, 3, 4.
 */
static void queued_lock_hands_off_in_fifo_order(void)
{
	pthread_t t[NWAIT];

	for (int round = 0; round < 3; round++) {
		atomic_store(&fifo_lock.val, 0);
		atomic_store(&nr_done, 0);
		queued_spin_lock(&fifo_lock);
		for (int i = 0; i < NWAIT; i++) {
			struct mcs_spinlock *tail = queued_spin_tail(&fifo_lock);
			atomic_store(&started[i], 0);
			pthread_create(&t[i], NULL, waiter, (void *)(intptr_t)i);
			while (!atomic_load(&started[i]))
				sched_yield();
			if (i == 0)
				while (!queued_spin_pending(&fifo_lock))
					sched_yield();
			else
				while (queued_spin_tail(&fifo_lock) == tail)
					sched_yield();
		}
		queued_spin_unlock(&fifo_lock);
		for (int i = 0; i < NWAIT; i++)
			pthread_join(t[i], NULL);
		CHECK_EQ(atomic_load(&nr_done), NWAIT);
		for (int i = 0; i < NWAIT; i++)
			CHECK_EQ(order[i], i);
		CHECK_EQ(atomic_load(&fifo_lock.val), 0);
	}
}

/* Mutual exclusion: threads add to a plain counter under the lock (TSan sees any race). */
static struct qspinlock mx_lock;
static long mx_counter;
#define MX_ITERS 20000
static void *mx_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < MX_ITERS; i++) {
		queued_spin_lock(&mx_lock);
		mx_counter++;
		queued_spin_unlock(&mx_lock);
	}
	return NULL;
}

/* Expect: 3 threads x 20000 increments = 60000 under each kind, the word 0 after. */
static void threads_exclude_each_other(void)
{
	for (int tas = 0; tas < 2; tas++) {
		pthread_t t[3];
		mx_lock = (struct qspinlock){ 0 };
		mx_lock.virt_tas = tas;
		mx_counter = 0;
		for (int i = 0; i < 3; i++)
			pthread_create(&t[i], NULL, mx_worker, NULL);
		for (int i = 0; i < 3; i++)
			pthread_join(t[i], NULL);
		CHECK_EQ(mx_counter, 3 * MX_ITERS);
		CHECK_EQ(atomic_load(&mx_lock.val), 0);
	}
}

/*
 * --zone-lock: auto is queued when the machine's CPUs plus its kswapd (one node) do not
 * outnumber the host's CPUs, tas when they do; queued and tas force it. Expect: every zone's lock says so.
 */
static void zone_lock_kind_follows_the_option(void)
{
	long host = sysconf(_SC_NPROCESSORS_ONLN);
	static const struct { int cpus; enum zone_lock_kind k; int tas; } t[] = {
		{ 1, ZONE_LOCK_AUTO, 0 }, { 1, ZONE_LOCK_TAS, 1 }, { 1, ZONE_LOCK_QUEUED, 0 },
		{ -1, ZONE_LOCK_AUTO, 1 }, { -1, ZONE_LOCK_QUEUED, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct machine_desc d;
		int cpus = t[i].cpus > 0 ? t[i].cpus : (int)host;     /* host + 1 threads with kswapd */
		if (t[i].cpus > 0 && host < 2)
			continue;       /* a 1-CPU host has no room for a queued 1-CPU machine */
		t_desc_flat(&d, 0x100000, 65536, cpus);
		d.zone_lock = t[i].k;
		struct machine *m = t_machine(&d);
		CHECK_EQ(m->node_data[0]->node_zones[ZONE_NORMAL].lock.virt_tas, t[i].tas);
		machine_destroy(m);
	}
	struct machine_desc d;
	char err[256];
	machine_desc_default(&d);
	CHECK_EQ(machine_desc_set(&d, "zone-lock", "tas", err, sizeof(err)), 0);
	CHECK_EQ(d.zone_lock, ZONE_LOCK_TAS);
	CHECK_EQ(machine_desc_set(&d, "zone-lock", "mcs", err, sizeof(err)), -1);
	CHECK_STR(err, "zone-lock: 'mcs' is not auto, queued or tas");
}

int main(void)
{
	RUN(uncontended_lock_is_one_word);
	RUN(queued_lock_hands_off_in_fifo_order);
	RUN(threads_exclude_each_other);
	RUN(zone_lock_kind_follows_the_option);
	TEST_SUMMARY();
}
