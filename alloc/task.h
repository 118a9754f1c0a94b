/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task.h - what owns memory under pressure: tasks with anonymous memory and files with a
 * page cache, both owners of LRU pages (alloc/reclaim.h) that workloads drive one access
 * at a time.
 *
 *   task   virtual pages 0..n-1, each unmapped, mapped to a frame (an anon LRU page,
 *          movable) or swapped out to a slot. task_touch maps on first use (a fault:
 *          pgfault, one allocation), swaps back in (pswpin, workingset_refault_anon), or
 *          sets the PTE's young bit. Reclaim swaps its pages out (swap_out), compaction
 *          moves them. The OOM killer picks the task with the most resident and swapped
 *          pages; the kill gives every page and slot back at once, and the task's next
 *          task_touch returns -ESRCH.
 *   file   pages 0..n-1 of a file on the modelled disk: file_read finds the page in the
 *          page cache (mark_page_accessed) or reads it in (one allocation, the disk's
 *          latency; an evicted page's refault is counted and may come back active),
 *          file_write also dirties it (balance_dirty_pages may make the writer wait).
 *          Reclaim evicts clean pages (leaving a shadow), kswapd and the flusher write
 *          dirty ones back.
 *
 * A task or file is used by one thread at a time, bound to a CPU of its machine. Both stay
 * registered owners until machine_destroy: free them (task_free, file_free) after it.
 */
#ifndef ALLOC_TASK_H
#define ALLOC_TASK_H

#include <stdbool.h>

#include "alloc/machine.h"

struct mm_task;
struct mm_file;

/* NULL when the owner table is full or memory is short. */
struct mm_task *task_create(struct machine *m, unsigned long nr_pages);
/* 0; -ENOMEM: the allocation failed; -ESRCH: the task was OOM-killed; -EINVAL: no such page. */
int task_touch(struct mm_task *t, unsigned long vpage);
bool task_killed(struct mm_task *t);
unsigned long task_rss(struct mm_task *t);
unsigned long task_swapents(struct mm_task *t);
/* The frame mapped at vpage, or NULL (unmapped or swapped out). */
struct page *task_page(struct mm_task *t, unsigned long vpage);
/* exit_mmap: every page and slot given back (the task may be reused afterwards). */
void task_exit(struct mm_task *t);
void task_free(struct mm_task *t);

struct mm_file *file_create(struct machine *m, unsigned long nr_pages);
/* 0; -ENOMEM: the page cache page could not be allocated; -EINVAL: no such page. */
int file_read(struct mm_file *f, unsigned long index);
int file_write(struct mm_file *f, unsigned long index);
unsigned long file_cached(struct mm_file *f);
bool file_is_cached(struct mm_file *f, unsigned long index);
/* truncate: every cached page dropped (waits for writeback). */
void file_drop(struct mm_file *f);
void file_free(struct mm_file *f);

#endif /* ALLOC_TASK_H */
