/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gfp.h - "get free pages" flags: what an allocation may do and where it may come from.
 *
 * Names and composites are the kernel's (include/linux/gfp.h, include/linux/gfp_types.h).
 * Bit positions are the model's own: only names cross the boundary (trace replay parses
 * them), so the values need not match any one kernel version.
 */
#ifndef ALLOC_GFP_H
#define ALLOC_GFP_H

#include <stdbool.h>
#include <stddef.h>

typedef unsigned int gfp_t;

/* One row per bit: X(name, bit). Kept as a table so names, parsing and printing agree. */
#define GFP_BITS(X)                     \
	X(__GFP_DMA, 0)                 \
	X(__GFP_HIGHMEM, 1)             \
	X(__GFP_DMA32, 2)               \
	X(__GFP_MOVABLE, 3)             \
	X(__GFP_RECLAIMABLE, 4)         \
	X(__GFP_HIGH, 5)                \
	X(__GFP_IO, 6)                  \
	X(__GFP_FS, 7)                  \
	X(__GFP_ZERO, 8)                \
	X(__GFP_ATOMIC, 9)              \
	X(__GFP_DIRECT_RECLAIM, 10)     \
	X(__GFP_KSWAPD_RECLAIM, 11)     \
	X(__GFP_WRITE, 12)              \
	X(__GFP_NOWARN, 13)             \
	X(__GFP_RETRY_MAYFAIL, 14)      \
	X(__GFP_NOFAIL, 15)             \
	X(__GFP_NORETRY, 16)            \
	X(__GFP_MEMALLOC, 17)           \
	X(__GFP_COMP, 18)               \
	X(__GFP_NOMEMALLOC, 19)         \
	X(__GFP_HARDWALL, 20)           \
	X(__GFP_THISNODE, 21)           \
	X(__GFP_ACCOUNT, 22)            \
	X(__GFP_NOLOCKDEP, 23)          \
	X(__GFP_COLD, 24)               \
	X(__GFP_NOTRACK, 25)            \
	X(__GFP_OTHER_NODE, 26)         \
	X(__GFP_ZEROTAGS, 27)           \
	X(__GFP_SKIP_ZERO, 28)          \
	X(__GFP_SKIP_KASAN, 29)

enum {
#define GFP_ENUM(name, bit) __##name##_BIT = (bit),
	GFP_BITS(GFP_ENUM)
#undef GFP_ENUM
	__GFP_BITS_SHIFT = 30,
};

#define __GFP_DMA               (1u << ____GFP_DMA_BIT)
#define __GFP_HIGHMEM           (1u << ____GFP_HIGHMEM_BIT)
#define __GFP_DMA32             (1u << ____GFP_DMA32_BIT)
#define __GFP_MOVABLE           (1u << ____GFP_MOVABLE_BIT)
#define __GFP_RECLAIMABLE       (1u << ____GFP_RECLAIMABLE_BIT)
#define __GFP_HIGH              (1u << ____GFP_HIGH_BIT)
#define __GFP_IO                (1u << ____GFP_IO_BIT)
#define __GFP_FS                (1u << ____GFP_FS_BIT)
#define __GFP_ZERO              (1u << ____GFP_ZERO_BIT)
#define __GFP_ATOMIC            (1u << ____GFP_ATOMIC_BIT)
#define __GFP_DIRECT_RECLAIM    (1u << ____GFP_DIRECT_RECLAIM_BIT)
#define __GFP_KSWAPD_RECLAIM    (1u << ____GFP_KSWAPD_RECLAIM_BIT)
#define __GFP_WRITE             (1u << ____GFP_WRITE_BIT)
#define __GFP_NOWARN            (1u << ____GFP_NOWARN_BIT)
#define __GFP_RETRY_MAYFAIL     (1u << ____GFP_RETRY_MAYFAIL_BIT)
#define __GFP_NOFAIL            (1u << ____GFP_NOFAIL_BIT)
#define __GFP_NORETRY           (1u << ____GFP_NORETRY_BIT)
#define __GFP_MEMALLOC          (1u << ____GFP_MEMALLOC_BIT)
#define __GFP_COMP              (1u << ____GFP_COMP_BIT)
#define __GFP_NOMEMALLOC        (1u << ____GFP_NOMEMALLOC_BIT)
#define __GFP_HARDWALL          (1u << ____GFP_HARDWALL_BIT)
#define __GFP_THISNODE          (1u << ____GFP_THISNODE_BIT)
#define __GFP_ACCOUNT           (1u << ____GFP_ACCOUNT_BIT)
#define __GFP_NOLOCKDEP         (1u << ____GFP_NOLOCKDEP_BIT)
#define __GFP_COLD              (1u << ____GFP_COLD_BIT)   /* 4.12: free to the pcp tail */
#define __GFP_NOTRACK           (1u << ____GFP_NOTRACK_BIT)
#define __GFP_OTHER_NODE        (1u << ____GFP_OTHER_NODE_BIT)
#define __GFP_ZEROTAGS          (1u << ____GFP_ZEROTAGS_BIT)
#define __GFP_SKIP_ZERO         (1u << ____GFP_SKIP_ZERO_BIT)
#define __GFP_SKIP_KASAN        (1u << ____GFP_SKIP_KASAN_BIT)

#define __GFP_RECLAIM           (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ZONEMASK            (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define GFP_MOVABLE_MASK        (__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT       ____GFP_MOVABLE_BIT

/* Composites, as include/linux/gfp_types.h spells them. */
#define GFP_ATOMIC              (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL              (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT      (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT              (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO                (__GFP_RECLAIM)
#define GFP_NOFS                (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER                (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA                 (__GFP_DMA)
#define GFP_DMA32               (__GFP_DMA32)
#define GFP_HIGHUSER            (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE    (GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT     ((GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | \
				  __GFP_NOWARN) & ~__GFP_RECLAIM)
#define GFP_TRANSHUGE           (GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

/* Composite names, longest first: the order in which the kernel's show_gfp_flags prints. */
#define GFP_COMPOSITES(X)                       \
	X(GFP_TRANSHUGE)                        \
	X(GFP_TRANSHUGE_LIGHT)                  \
	X(GFP_HIGHUSER_MOVABLE)                 \
	X(GFP_HIGHUSER)                         \
	X(GFP_USER)                             \
	X(GFP_KERNEL_ACCOUNT)                   \
	X(GFP_KERNEL)                           \
	X(GFP_NOFS)                             \
	X(GFP_ATOMIC)                           \
	X(GFP_NOIO)                             \
	X(GFP_NOWAIT)                           \
	X(GFP_DMA32)                            \
	X(GFP_DMA)

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

/*
 * Parse "GFP_KERNEL|__GFP_ZERO" (names as the kernel prints them, or a hex value).
 * Unknown names are not fatal: each is reported through *unknown (the first one)
 * and counted in the return value's negative form is avoided; returns the number
 * of unknown names, 0 when all were known.
 */
int gfp_parse(const char *s, size_t len, gfp_t *out, const char **unknown, size_t *unknown_len);
/* Print flags as the kernel does (composites first, then single bits). */
int gfp_format(gfp_t gfp, char *buf, size_t size);

#endif /* ALLOC_GFP_H */
