/* Python's random module, drawing exactly what CPython 3.11 draws for the same seed.
 *
 * The generator is MT19937 (Matsumoto and Nishimura, 1998) as CPython's _randommodule.c
 * seeds and reads it:
 *   - seeding goes through init_by_array with 32-bit key words: an int's absolute value,
 *     least significant word first ([0] for zero); a str/bytes/bytearray a is first
 *     replaced by int.from_bytes(a + sha512(a), "big") (random.py's version 2); a float
 *     by its hash as an unsigned 64-bit number; None by 624 words of platform entropy;
 *   - random() is 53 bits from two words (27 + 26 high bits);
 *   - getrandbits(k) fills k bits a word at a time, least significant word first, the
 *     last word shifted right to keep its high bits.
 * Everything else follows random.py: _randbelow(n) draws getrandbits(n.bit_length())
 * until below n, and randrange, choice, shuffle, sample, choices, and the distributions
 * consume the generator in the same order with the same floating-point operations
 * (the libm functions are float_math.c's, which match glibc's).
 */
#include "random.h"
#include "osrandom.h"
#include "digest.h"
#include "int_impl.h"
#include "float.h"
#include "list.h"
#include "tuple.h"
#include "str.h"
#include "bytes.h"
#include "range.h"
#include "dict.h"

#define MT_M 397
#define MT_MATRIX_A 0x9908b0dfU
#define MT_UPPER 0x80000000U
#define MT_LOWER 0x7fffffffU

const KType k_Random_type = {K_STATIC_HDR(&k_type_type), "Random", "random", &k_object_type, sizeof(KRandom), 0};

/* ---- the generator ---- */

static void init_genrand(KRandom *r, u32 s) {
    r->mt[0] = s;
    for (i64 i = 1; i < K_MT_N; i++)
        r->mt[i] = 1812433253U * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (u32)i;
    r->index = K_MT_N;
}

/* Mixes key[0..n) (n >= 1) into the state: first over max(N, n) steps adding key words,
 * then N - 1 more, as the reference init_by_array. */
static void init_by_array(KRandom *r, const u32 *key, i64 n) {
    u32 *mt = r->mt;
    init_genrand(r, 19650218U);
    i64 i = 1, j = 0;
    for (i64 k = n > K_MT_N ? n : K_MT_N; k > 0; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key[j] + (u32)j;
        i++;
        j++;
        if (i >= K_MT_N) {
            mt[0] = mt[K_MT_N - 1];
            i = 1;
        }
        if (j >= n) j = 0;
    }
    for (i64 k = K_MT_N - 1; k > 0; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - (u32)i;
        i++;
        if (i >= K_MT_N) {
            mt[0] = mt[K_MT_N - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000U;        /* the state is never all zeros */
}

static u32 twist(u32 upper, u32 lower, u32 far) {
    u32 y = (upper & MT_UPPER) | (lower & MT_LOWER);
    return far ^ (y >> 1) ^ ((y & 1) ? MT_MATRIX_A : 0);
}

static void regenerate(KRandom *r) {
    u32 *mt = r->mt;
    i64 k = 0;
    for (; k < K_MT_N - MT_M; k++) mt[k] = twist(mt[k], mt[k + 1], mt[k + MT_M]);
    for (; k < K_MT_N - 1; k++) mt[k] = twist(mt[k], mt[k + 1], mt[k + MT_M - K_MT_N]);
    mt[K_MT_N - 1] = twist(mt[K_MT_N - 1], mt[0], mt[MT_M - 1]);
    r->index = 0;
}

static u32 genrand(KRandom *r) {
    if (r->index >= K_MT_N) regenerate(r);
    u32 y = r->mt[r->index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
}

static KRandom *rng(kval self) { return (KRandom *)self; }

/* getrandbits(k) for 1 <= k <= 64: the same words, in the same order. */
static u64 bits_u64(KRandom *r, int k) {
    if (k <= 32) return genrand(r) >> (32 - k);
    u64 lo = genrand(r);
    u64 hi = genrand(r) >> (64 - k);
    return lo | hi << 32;
}

/* _randbelow_with_getrandbits for 0 < n < 2**64. */
static u64 randbelow_u64(KRandom *r, u64 n) {
    int k = 64 - __builtin_clzll(n);
    for (;;) {
        u64 x = bits_u64(r, k);
        if (x < n) return x;
    }
}

/* ---- seeding ---- */

static void seed_entropy(KRandom *r) {
    u32 key[K_MT_N];
    k_os_random((u8 *)key, sizeof key);
    init_by_array(r, key, K_MT_N);
}

/* Key words of a natural number given as little-endian words: leading zero words
 * dropped, [0] for zero. */
static void seed_words(KRandom *r, const u32 *w, i64 n) {
    n = k_mag_norm(w, n);
    u32 zero = 0;
    init_by_array(r, n ? w : &zero, n ? n : 1);
}

/* int.from_bytes(p + sha512(p), "big"), as words, least significant first. */
static void seed_bytes(KRandom *r, const u8 *p, i64 n) {
    u8 digest[64];
    k_sha512_digest(p, n, digest);
    i64 total = n + 64, nwords = (total + 3) / 4;
    u32 *w = k_malloc((u64)nwords * 4);
    for (i64 i = 0; i < nwords; i++) {
        u32 word = 0;
        for (i64 b = 3; b >= 0; b--) {     /* bytes total-4i-4 .. total-4i-1, big-endian */
            i64 pos = total - 4 * i - 1 - b;
            u8 byte = pos < 0 ? 0 : pos < n ? p[pos] : digest[pos - n];
            word = word << 8 | byte;
        }
        w[i] = word;
    }
    seed_words(r, w, nwords);
    k_mfree(w);
}

int k_random_seed(kval self, kval a) {
    KRandom *r = rng(self);
    if (a == k_None) {
        seed_entropy(r);
    } else if (k_isinstance(a, &k_int_type)) {
        KIntView v;
        k_int_view(a, &v);                  /* the magnitude: seed(-5) is seed(5) */
        seed_words(r, v.d, v.n);
    } else if (k_type_of(a) == &k_float_type) {
        u64 h = (u64)k_float_hash(k_float_unbox(a));
        u32 w[2] = {(u32)h, (u32)(h >> 32)};
        seed_words(r, w, 2);
    } else if (k_is_str(a)) {
        seed_bytes(r, k_str_data(a), k_str_nbytes(a));
    } else if (k_is_bytes(a)) {
        seed_bytes(r, k_bytes_data(a), k_bytes_len(a));
    } else if (k_is_bytearray(a)) {
        seed_bytes(r, ((KByteArray *)a)->data, ((KByteArray *)a)->len);
    } else {
        k_raise_str(&k_TypeError_type,
                    "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
        return -1;
    }
    r->has_gauss = false;
    return 0;
}

kval k_random_new(kval x) {
    kval self = K_VAL(k_alloc(&k_Random_type, sizeof(KRandom)));
    if (k_random_seed(self, x) < 0) {
        k_decref(self);
        return 0;
    }
    return self;
}

/* ---- integers and bytes ---- */

double k_random_random(kval self) {
    KRandom *r = rng(self);
    u32 a = genrand(r) >> 5, b = genrand(r) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

kval k_random_getrandbits(kval self, i64 k) {
    KRandom *r = rng(self);
    if (k < 0) {
        k_raise_str(&k_ValueError_type, "number of bits must be non-negative");
        return 0;
    }
    if (k == 0) return k_int_small(0);
    if (k <= 64) return k_int_from_u64(bits_u64(r, (int)k));
    i64 words = (k - 1) / 32 + 1;
    if (k_int_too_big(words)) return 0;
    KLong *l = k_long_new(words);
    for (i64 i = 0; i < words; i++, k -= 32) {
        u32 w = genrand(r);
        l->d[i] = k < 32 ? w >> (32 - k) : w;
    }
    return k_long_finish(l, false);
}

/* getrandbits(n * 8).to_bytes(n, "little"): each word gives four bytes, low first; a
 * last partial word keeps its high bytes, shifted down. */
kval k_random_randbytes(kval self, i64 n) {
    KRandom *r = rng(self);
    if (n < 0 || n > (i64)(~0ULL >> 4)) {
        k_raise_str(n < 0 ? &k_ValueError_type : &k_OverflowError_type,
                    n < 0 ? "number of bits must be non-negative" : "cannot fit 'int' into an index-sized integer");
        return 0;
    }
    kval out = k_bytes_new_raw(n);
    if (!out) return 0;
    u8 *p = ((KBytes *)out)->data;
    for (i64 i = 0; i < n; i += 4) {
        i64 left = n - i < 4 ? n - i : 4;
        u32 w = genrand(r) >> (32 - 8 * left);
        for (i64 b = 0; b < left; b++) p[i + b] = (u8)(w >> (8 * b));
    }
    return out;
}

/* _randbelow(n) for an int n > 0 (new reference). */
static kval randbelow(KRandom *r, kval n) {
    i64 small;
    if (k_int_to_i64(n, &small)) return k_int_from_u64(randbelow_u64(r, (u64)small));
    KIntView v;
    k_int_view(n, &v);
    i64 k = (i64)k_mag_bits(v.d, v.n);
    for (;;) {
        kval x = k_random_getrandbits(K_VAL(r), k);
        if (!x || k_int_cmp(x, n) < 0) return x;
        k_decref(x);
    }
}

static int sign_of(kval v) { return k_int_cmp(v, k_int_small(0)); }

/* start + step * randbelow(n) (new reference, or 0). */
static kval pick_in_range(KRandom *r, kval start, kval step, kval n) {
    kval x = randbelow(r, n);
    if (!x) return 0;
    kval scaled = step == k_int_small(1) ? k_newref(x) : k_int_mul(step, x);
    k_decref(x);
    if (!scaled) return 0;
    kval out = k_int_add(start, scaled);
    k_decref(scaled);
    return out;
}

static kval empty_range(void) {
    k_raise_str(&k_ValueError_type, "empty range for randrange()");
    return 0;
}

/* How many values randrange(start, stop, step) has: ceil(width / step), new reference. */
static kval count_steps(kval width, kval step) {
    kval adjust = k_int_add(step, k_int_small(sign_of(step) > 0 ? -1 : 1));
    kval numer = adjust ? k_int_add(width, adjust) : 0;
    kval n = numer ? k_int_floordiv(numer, step) : 0;
    k_xdecref(adjust);
    k_xdecref(numer);
    return n;
}

kval k_random_randrange(kval self, kval start, kval stop, kval step) {
    KRandom *r = rng(self);
    start = k_int_unbool(start);
    step = k_int_unbool(step);
    if (stop == k_None) {
        if (step != k_int_small(1)) {
            k_raise_str(&k_TypeError_type, "Missing a non-None stop argument");
            return 0;
        }
        return sign_of(start) > 0 ? randbelow(r, start) : empty_range();
    }
    stop = k_int_unbool(stop);
    kval width = k_int_sub(stop, start), n = 0, out = 0;
    if (!width) return 0;
    if (step == k_int_small(1)) {           /* the common case, with the widths in its message */
        if (sign_of(width) > 0) out = pick_in_range(r, start, step, width);
        else k_raise_fmt(&k_ValueError_type, "empty range for randrange() (%R, %R, %R)", start, stop, width);
    } else if (sign_of(step) == 0) {
        k_raise_str(&k_ValueError_type, "zero step for randrange()");
    } else if ((n = count_steps(width, step))) {
        out = sign_of(n) > 0 ? pick_in_range(r, start, step, n) : empty_range();
        k_decref(n);
    }
    k_decref(width);
    return out;
}

kval k_random_randint(kval self, kval a, kval b) {
    kval stop = k_int_add(k_int_unbool(b), k_int_small(1));
    if (!stop) return 0;
    kval out = k_random_randrange(self, a, stop, k_int_small(1));
    k_decref(stop);
    return out;
}

/* ---- sequences ---- */

/* seq[i] for 0 <= i < len(seq) (new reference). */
static kval item_at(kval seq, i64 i) {
    const KType *t = k_type_of(seq);
    if (t == &k_list_type) return k_list_getitem(seq, i);
    if (t == &k_tuple_type) return k_tuple_getitem(seq, i);
    if (t == &k_str_type) return k_str_getitem(seq, i);
    if (t == &k_range_type) return k_range_getitem(seq, i);
    if (t == &k_bytes_type) return k_bytes_getitem(seq, i);
    if (t == &k_bytearray_type) return k_bytearray_getitem(seq, i);
    if (t == &k_dict_type) return k_dict_getitem(seq, k_int_from_i64(i));
    k_raise_fmt(&k_TypeError_type, "'%s' object is not subscriptable", t->name);
    return 0;
}

/* What collections.abc.Sequence admits among the runtime's types. */
static bool is_sequence(kval v) {
    const KType *t = k_type_of(v);
    return t == &k_list_type || t == &k_tuple_type || t == &k_str_type || t == &k_range_type ||
           t == &k_bytes_type || t == &k_bytearray_type;
}

kval k_random_choice(kval self, kval seq) {
    i64 n = k_len(seq);
    if (n < 0) return 0;
    if (n == 0) {
        k_raise_str(&k_IndexError_type, "Cannot choose from an empty sequence");
        return 0;
    }
    return item_at(seq, (i64)randbelow_u64(rng(self), (u64)n));
}

int k_random_shuffle(kval self, kval x) {
    KRandom *r = rng(self);
    i64 n = k_len(x);
    if (n < 0) return -1;
    for (i64 i = n - 1; i >= 1; i--) {
        i64 j = (i64)randbelow_u64(r, (u64)i + 1);
        if (k_type_of(x) != &k_list_type) {     /* CPython draws j before failing to assign */
            k_raise_fmt(&k_TypeError_type, "'%s' object does not support item assignment", k_type_of(x)->name);
            return -1;
        }
        kval *items = k_list_items(x);
        kval t = items[i];
        items[i] = items[j];
        items[j] = t;
    }
    return 0;
}

/* sample()'s bound between its two methods: 21 plus, past k = 5, the size of the hash
 * table a set of k items would have (4 ** ceil(log(3k, 4)), computed as CPython does). */
static i64 sample_setsize(i64 k) {
    i64 setsize = 21;
    if (k > 5) {
        double e = k_math_ceil(k_math_log((double)(k * 3)) / k_math_log(4.0));
        setsize += e >= 31 ? ((i64)1 << 62) : (i64)1 << (2 * (i64)e);
    }
    return setsize;
}

/* A set of indexes (open addressing; -1 is empty): sample()'s `selected`. */
typedef struct { i64 *slots; u64 mask; } IndexSet;

static bool index_set_add(IndexSet *s, i64 j) {
    for (u64 h = ((u64)j * 0x9E3779B97F4A7C15ULL) & s->mask;; h = (h + 1) & s->mask) {
        if (s->slots[h] == j) return false;
        if (s->slots[h] == -1) {
            s->slots[h] = j;
            return true;
        }
    }
}

static kval sample_pool(KRandom *r, kval population, i64 n, i64 k, kval result) {
    kval pool = k_list_from_iter(population);
    if (!pool) return 0;
    kval *items = k_list_items(pool);
    for (i64 i = 0; i < k; i++) {
        i64 j = (i64)randbelow_u64(r, (u64)(n - i));
        k_list_append(result, items[j]);
        kval t = items[j];                  /* CPython moves the last unselected into j; a swap */
        items[j] = items[n - i - 1];        /* leaves the same unselected items in the same places */
        items[n - i - 1] = t;
    }
    k_decref(pool);
    return result;
}

static kval sample_set(KRandom *r, kval population, i64 n, i64 k, kval result) {
    u64 cap = 8;
    while (cap < (u64)k * 2) cap *= 2;
    IndexSet s = {k_malloc(cap * sizeof(i64)), cap - 1};
    for (u64 i = 0; i < cap; i++) s.slots[i] = -1;
    for (i64 i = 0; i < k; i++) {
        i64 j;
        do j = (i64)randbelow_u64(r, (u64)n);
        while (!index_set_add(&s, j));
        kval item = item_at(population, j);
        if (!item || k_list_append_steal(result, item) < 0) {
            k_mfree(s.slots);
            return 0;
        }
    }
    k_mfree(s.slots);
    return result;
}

kval k_random_sample(kval self, kval population, i64 k) {
    if (!is_sequence(population)) {
        k_raise_str(&k_TypeError_type, "Population must be a sequence.  For dicts or sets, use sorted(d).");
        return 0;
    }
    i64 n = k_len(population);
    if (n < 0) return 0;
    if (k < 0 || k > n) {
        k_raise_str(&k_ValueError_type, "Sample larger than population or is negative");
        return 0;
    }
    kval result = k_list_new(k);
    kval done = n <= sample_setsize(k) ? sample_pool(rng(self), population, n, k, result)
                                       : sample_set(rng(self), population, n, k, result);
    if (!done) k_decref(result);
    return done;
}

/* ---- choices ---- */

static double as_double(kval v, bool *ok) {
    *ok = true;
    if (k_type_of(v) == &k_float_type) return k_float_unbox(v);
    if (k_isinstance(v, &k_int_type)) {
        double d = k_int_to_double(k_int_unbool(v));
        *ok = !k_exc;
        return d;
    }
    *ok = false;
    return 0;
}

static bool is_number(kval v) { return k_type_of(v) == &k_float_type || k_isinstance(v, &k_int_type); }

/* a + b for ints and floats (new reference): ints stay exact, as itertools.accumulate. */
static kval add_numbers(kval a, kval b) {
    if (!is_number(a) || !is_number(b)) {
        k_raise_fmt(&k_TypeError_type, "unsupported operand type(s) for +: '%s' and '%s'", k_type_of(a)->name,
                    k_type_of(b)->name);
        return 0;
    }
    if (k_type_of(a) != &k_float_type && k_type_of(b) != &k_float_type)
        return k_int_add(k_int_unbool(a), k_int_unbool(b));
    bool ok;
    double x = as_double(a, &ok);
    if (!ok) return 0;
    double y = as_double(b, &ok);
    return ok ? k_float_box(x + y) : 0;
}

/* list(itertools.accumulate(weights)) */
static kval accumulate(kval weights) {
    kval it = k_iter(weights);
    if (!it) return 0;
    kval out = k_list_new(0), acc = 0, w;
    while ((w = k_next(it))) {
        kval next = acc ? add_numbers(acc, w) : k_newref(w);
        k_decref(w);
        k_xdecref(acc);
        acc = next;
        if (!acc || k_list_append(out, acc) < 0) break;
    }
    k_xdecref(acc);
    k_decref(it);
    if (k_exc) {
        k_decref(out);
        return 0;
    }
    return out;
}

/* x < v for a float x and an int or float v (1, 0, -1 raised). */
static int below(double x, kval v) {
    if (k_type_of(v) == &k_float_type) return x < k_float_unbox(v);
    if (k_isinstance(v, &k_int_type)) return k_int_cmp_double(k_int_unbool(v), x) > 0;
    k_raise_fmt(&k_TypeError_type, "'<' not supported between instances of 'float' and '%s'", k_type_of(v)->name);
    return -1;
}

/* bisect.bisect(cum, x, 0, hi) */
static i64 bisect_right(kval cum, double x, i64 hi) {
    i64 lo = 0;
    while (lo < hi) {
        i64 mid = (lo + hi) / 2;
        int b = below(x, k_list_get_fast(cum, mid));
        if (b < 0) return -1;
        if (b) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

static kval choices_weighted(KRandom *r, kval population, i64 n, kval cum, i64 k) {
    i64 m = k_list_len_fast(cum);
    if (m != n) {
        k_raise_str(&k_ValueError_type, "The number of weights does not match the population");
        return 0;
    }
    if (m == 0) {
        k_raise_str(&k_IndexError_type, "list index out of range");     /* cum_weights[-1] */
        return 0;
    }
    bool ok;
    double total = as_double(k_list_get_fast(cum, m - 1), &ok) + 0.0;
    if (!ok) {
        if (!k_exc) k_raise_fmt(&k_TypeError_type, "unsupported operand type(s) for +: '%s' and 'float'",
                                k_type_of(k_list_get_fast(cum, m - 1))->name);
        return 0;
    }
    if (total <= 0.0) {
        k_raise_str(&k_ValueError_type, "Total of weights must be greater than zero");
        return 0;
    }
    if (total - total != 0.0) {
        k_raise_str(&k_ValueError_type, "Total of weights must be finite");
        return 0;
    }
    kval out = k_list_new(k > 0 ? k : 0);
    for (i64 i = 0; i < k; i++) {
        i64 j = bisect_right(cum, k_random_random(K_VAL(r)) * total, n - 1);
        kval item = j < 0 ? 0 : item_at(population, j);
        if (!item || k_list_append_steal(out, item) < 0) {
            k_decref(out);
            return 0;
        }
    }
    return out;
}

kval k_random_choices(kval self, kval population, kval weights, kval cum_weights, i64 k) {
    KRandom *r = rng(self);
    i64 n = k_len(population);
    if (n < 0) return 0;
    if (cum_weights == k_None && weights == k_None) {
        kval out = k_list_new(k > 0 ? k : 0);
        for (i64 i = 0; i < k; i++) {
            kval item = item_at(population, (i64)k_math_floor(k_random_random(self) * (double)n));
            if (!item || k_list_append_steal(out, item) < 0) {
                k_decref(out);
                return 0;
            }
        }
        return out;
    }
    if (cum_weights != k_None && weights != k_None) {
        k_raise_str(&k_TypeError_type, "Cannot specify both weights and cumulative weights");
        return 0;
    }
    kval cum = weights != k_None ? accumulate(weights) : k_list_from_iter(cum_weights);
    if (!cum) return 0;
    kval out = choices_weighted(r, population, n, cum, k);
    k_decref(cum);
    return out;
}

/* ---- real-valued distributions ---- */

double k_random_uniform(kval self, double a, double b) { return a + (b - a) * k_random_random(self); }

double k_random_triangular(kval self, double low, double high, kval mode) {
    double u = k_random_random(self), c = 0.5;
    if (mode != k_None) {
        bool ok;
        double m = as_double(mode, &ok);
        if (!ok) {
            if (!k_exc) k_raise_fmt(&k_TypeError_type, "unsupported operand type(s) for -: '%s' and 'float'",
                                    k_type_of(mode)->name);
            return -1.0;
        }
        if (high - low == 0.0) return low;          /* CPython catches the ZeroDivisionError */
        c = (m - low) / (high - low);
    }
    if (u > c) {
        u = 1.0 - u;
        c = 1.0 - c;
        double t = low;
        low = high;
        high = t;
    }
    return low + (high - low) * k_math_sqrt(u * c);
}

double k_random_gauss(kval self, double mu, double sigma) {
    KRandom *r = rng(self);
    double z = r->gauss_next;
    bool had = r->has_gauss;
    r->has_gauss = false;
    if (!had) {
        double x2pi = k_random_random(self) * (2.0 * 3.141592653589793);
        double g2rad = k_math_sqrt(-2.0 * k_math_log(1.0 - k_random_random(self)));
        z = k_math_cos(x2pi) * g2rad;
        r->gauss_next = k_math_sin(x2pi) * g2rad;
        r->has_gauss = true;
    }
    return mu + z * sigma;
}

/* Kinderman and Monahan's ratio of uniforms, as random.py. */
double k_random_normalvariate(kval self, double mu, double sigma) {
    double magic = 4 * k_math_exp(-0.5) / k_math_sqrt(2.0);     /* random.py's NV_MAGICCONST */
    double z;
    for (;;) {
        double u1 = k_random_random(self);
        double u2 = 1.0 - k_random_random(self);
        z = magic * (u1 - 0.5) / u2;
        if (z * z / 4.0 <= -k_math_log(u2)) break;
    }
    return mu + z * sigma;
}

double k_random_expovariate(kval self, double lambd) {
    return k_float_truediv(-k_math_log(1.0 - k_random_random(self)), lambd);
}

/* ---- the module's functions: one hidden Random, seeded from entropy on first use ---- */

static KRandom global_rng = {.hdr = K_STATIC_HDR(&k_Random_type), .index = K_MT_N};
static bool global_seeded;

static kval global(void) {
    if (!global_seeded) {
        seed_entropy(&global_rng);
        global_seeded = true;
    }
    return K_VAL(&global_rng);
}

int k_randmod_seed(kval a) {
    global_seeded = true;
    return k_random_seed(K_VAL(&global_rng), a);
}

double k_randmod_random(void) { return k_random_random(global()); }
kval k_randmod_getrandbits(i64 k) { return k_random_getrandbits(global(), k); }
kval k_randmod_randbytes(i64 n) { return k_random_randbytes(global(), n); }
kval k_randmod_randrange(kval start, kval stop, kval step) { return k_random_randrange(global(), start, stop, step); }
kval k_randmod_randint(kval a, kval b) { return k_random_randint(global(), a, b); }
kval k_randmod_choice(kval seq) { return k_random_choice(global(), seq); }
int k_randmod_shuffle(kval x) { return k_random_shuffle(global(), x); }
kval k_randmod_sample(kval population, i64 k) { return k_random_sample(global(), population, k); }
kval k_randmod_choices(kval population, kval weights, kval cum_weights, i64 k) {
    return k_random_choices(global(), population, weights, cum_weights, k);
}
double k_randmod_uniform(double a, double b) { return k_random_uniform(global(), a, b); }
double k_randmod_triangular(double low, double high, kval mode) {
    return k_random_triangular(global(), low, high, mode);
}
double k_randmod_gauss(double mu, double sigma) { return k_random_gauss(global(), mu, sigma); }
double k_randmod_normalvariate(double mu, double sigma) { return k_random_normalvariate(global(), mu, sigma); }
double k_randmod_expovariate(double lambd) { return k_random_expovariate(global(), lambd); }
