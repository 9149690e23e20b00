/*
 * Intrusive doubly-linked lists and chained hash tables of the daemon.
 */
#ifndef LSIM_LIST_H
#define LSIM_LIST_H

#include <stddef.h>
#include <stdint.h>

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

struct list_head {
	struct list_head *next, *prev;
};

static inline void list_init(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline int list_empty(const struct list_head *h)
{
	return h->next == h;
}

/* A node that is in no list points to itself (after list_init/list_del). */
static inline int list_linked(const struct list_head *n)
{
	return n->next != n && n->next != NULL;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del(struct list_head *n)
{
	if (n->next == NULL || n->next == n)
		return;
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n;
	n->prev = n;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)

#define list_for_each_safe(pos, tmp, head) \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Hash table of nodes carrying a 64-bit hash key; the caller compares keys. */
struct hnode {
	struct hnode	*next;
	uint64_t	hkey;
};

struct htable {
	struct hnode	**buckets;
	size_t		nbuckets;	/* power of two */
	size_t		count;
};

int ht_init(struct htable *t);
void ht_free(struct htable *t);
void ht_insert(struct htable *t, struct hnode *n, uint64_t hkey);
void ht_remove(struct htable *t, struct hnode *n);
struct hnode *ht_first(const struct htable *t, uint64_t hkey);
struct hnode *ht_next(const struct hnode *n, uint64_t hkey);

static inline uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

#endif /* LSIM_LIST_H */
