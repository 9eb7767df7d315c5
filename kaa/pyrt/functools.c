/* functools.cmp_to_key: a key function whose keys order as an old-style cmp function
 * says (cmp(a, b) < 0: a first). The key objects compare through the cmp function. */
#include "itertools.h"
#include "int.h"

typedef struct { KFunc fn; kval cmp; } KCmpToKey;           /* the key function */
typedef struct { KObj hdr; kval cmp; kval obj; } KCmpKey;    /* one key */

static void cmp_to_key_clear(KObj *o) { k_decref(((KCmpToKey *)o)->cmp); }
static void key_clear(KObj *o) {
    k_decref(((KCmpKey *)o)->cmp);
    k_decref(((KCmpKey *)o)->obj);
}

static const KType key_type;

static int key_richcmp(kval a, kval b, int op) {
    if (!k_isinstance(b, &key_type)) return 2;
    kval args[2] = {((KCmpKey *)a)->obj, ((KCmpKey *)b)->obj};
    kval r = k_call(((KCmpKey *)a)->cmp, args, 2);
    if (!r) return -1;
    int c = k_richcmp(r, k_int_small(0), op);       /* cmp's result against 0, as CPython's K(obj) does */
    k_decref(r);
    return c;
}

static const KType key_type = {K_STATIC_HDR(&k_type_type), "functools.KeyWrapper", "functools", &k_object_type,
                               sizeof(KCmpKey), 0, .clear = key_clear, .richcmp = key_richcmp,
                               .hash = k_hash_unhashable};

static kval make_key(kval self, const kval *args, i64 nargs) {
    if (nargs != 1) {
        k_raise_fmt(&k_TypeError_type, "K() takes exactly 1 argument (%d given)", nargs);
        return 0;
    }
    KCmpKey *k = (KCmpKey *)k_alloc(&key_type, sizeof(KCmpKey));
    k->cmp = k_newref(((KCmpToKey *)self)->cmp);
    k->obj = k_newref(args[0]);
    return K_VAL(k);
}

static const KType cmp_to_key_type = {K_STATIC_HDR(&k_type_type), "functools.cmp_to_key", "functools",
                                      &k_function_type, sizeof(KCmpToKey), 0, .clear = cmp_to_key_clear};

kval k_functools_cmp_to_key(kval cmp) {
    KCmpToKey *f = (KCmpToKey *)k_alloc(&cmp_to_key_type, sizeof(KCmpToKey));
    f->fn.call = make_key;
    f->cmp = k_newref(cmp);
    return K_VAL(f);
}

/* functools.partial(func, *args): a callable that calls func with args first. */
typedef struct { KFunc fn; kval func; i64 n; kval args[]; } KPartial;

static void partial_clear(KObj *o) {
    KPartial *p = (KPartial *)o;
    k_decref(p->func);
    for (i64 i = 0; i < p->n; i++) k_decref(p->args[i]);
}

static kval partial_call(kval self, const kval *args, i64 nargs) {
    KPartial *p = (KPartial *)self;
    kval all[16];
    if (p->n + nargs > 16) {
        k_raise_fmt(&k_TypeError_type, "partial() called with too many arguments");
        return 0;
    }
    for (i64 i = 0; i < p->n; i++) all[i] = p->args[i];
    for (i64 i = 0; i < nargs; i++) all[p->n + i] = args[i];
    return k_call(p->func, all, p->n + nargs);
}

static const KType partial_type = {K_STATIC_HDR(&k_type_type), "functools.partial", "functools", &k_function_type,
                                   sizeof(KPartial), 0, .clear = partial_clear};

kval k_functools_partial(kval func, const kval *args, i64 n) {
    KPartial *p = (KPartial *)k_alloc(&partial_type, sizeof(KPartial) + (u64)n * sizeof(kval));
    p->fn.call = partial_call;
    p->func = k_newref(func);
    p->n = n;
    for (i64 i = 0; i < n; i++) p->args[i] = k_newref(args[i]);
    return K_VAL(p);
}
