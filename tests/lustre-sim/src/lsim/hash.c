/*
 * Chained hash table with power-of-two bucket arrays, doubled when the load
 * factor exceeds 1.
 */
#include <stdlib.h>

#include "list.h"

#define HT_INITIAL	1024

int ht_init(struct htable *t)
{
	t->buckets = calloc(HT_INITIAL, sizeof(*t->buckets));
	if (t->buckets == NULL)
		return -1;
	t->nbuckets = HT_INITIAL;
	t->count = 0;
	return 0;
}

void ht_free(struct htable *t)
{
	free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = 0;
	t->count = 0;
}

static void ht_grow(struct htable *t)
{
	size_t nb = t->nbuckets * 2;
	struct hnode **b = calloc(nb, sizeof(*b));
	size_t i;

	if (b == NULL)
		return;	/* keep the current size: still correct, just slower */
	for (i = 0; i < t->nbuckets; i++) {
		struct hnode *n = t->buckets[i];

		while (n != NULL) {
			struct hnode *next = n->next;
			size_t j = n->hkey & (nb - 1);

			n->next = b[j];
			b[j] = n;
			n = next;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = nb;
}

void ht_insert(struct htable *t, struct hnode *n, uint64_t hkey)
{
	size_t i;

	if (t->count >= t->nbuckets)
		ht_grow(t);
	n->hkey = hkey;
	i = hkey & (t->nbuckets - 1);
	n->next = t->buckets[i];
	t->buckets[i] = n;
	t->count++;
}

void ht_remove(struct htable *t, struct hnode *n)
{
	struct hnode **pp = &t->buckets[n->hkey & (t->nbuckets - 1)];

	while (*pp != NULL) {
		if (*pp == n) {
			*pp = n->next;
			n->next = NULL;
			t->count--;
			return;
		}
		pp = &(*pp)->next;
	}
}

struct hnode *ht_first(const struct htable *t, uint64_t hkey)
{
	struct hnode *n = t->buckets[hkey & (t->nbuckets - 1)];

	while (n != NULL && n->hkey != hkey)
		n = n->next;
	return n;
}

struct hnode *ht_next(const struct hnode *n, uint64_t hkey)
{
	struct hnode *m = n->next;

	while (m != NULL && m->hkey != hkey)
		m = m->next;
	return m;
}
