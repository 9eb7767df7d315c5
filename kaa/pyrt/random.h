/* random.c: Python's random module: CPython's Mersenne Twister (MT19937) and the
 * algorithms of its random.py on top, so a seeded program draws what CPython draws.
 *
 * random.Random objects are KRandom; the module-level functions use one hidden static
 * KRandom, seeded from the platform's entropy (osrandom.h) on first use.
 * Every function raises as CPython 3.11 does: kval results are 0, status results -1 and
 * double results -1.0 with k_exc set.
 */
#pragma once
#include "object.h"

#define K_MT_N 624

typedef struct {
    KObj hdr;
    u32 mt[K_MT_N];
    i32 index;              /* next word of mt to temper; K_MT_N: regenerate first */
    bool has_gauss;         /* gauss() made two deviates and keeps the second */
    double gauss_next;
} KRandom;

extern const KType k_Random_type;

/* random.Random(x=None) and Random.seed(a=None): a is None, int, float, str, bytes or
 * bytearray (version 2 seeding). */
kval k_random_new(kval x);
int k_random_seed(kval self, kval a);

double k_random_random(kval self);                      /* [0.0, 1.0), 53 bits; cannot raise */
kval k_random_getrandbits(kval self, i64 k);
kval k_random_randbytes(kval self, i64 n);
kval k_random_randrange(kval self, kval start, kval stop, kval step);   /* stop: int or None */
kval k_random_randint(kval self, kval a, kval b);
kval k_random_choice(kval self, kval seq);
int k_random_shuffle(kval self, kval x);
kval k_random_sample(kval self, kval population, i64 k);
kval k_random_choices(kval self, kval population, kval weights, kval cum_weights, i64 k);
double k_random_uniform(kval self, double a, double b);
double k_random_triangular(kval self, double low, double high, kval mode);   /* mode: float or None */
double k_random_gauss(kval self, double mu, double sigma);
double k_random_normalvariate(kval self, double mu, double sigma);
double k_random_expovariate(kval self, double lambd);

/* The module-level functions: the same on the hidden global Random. */
int k_randmod_seed(kval a);
double k_randmod_random(void);
kval k_randmod_getrandbits(i64 k);
kval k_randmod_randbytes(i64 n);
kval k_randmod_randrange(kval start, kval stop, kval step);
kval k_randmod_randint(kval a, kval b);
kval k_randmod_choice(kval seq);
int k_randmod_shuffle(kval x);
kval k_randmod_sample(kval population, i64 k);
kval k_randmod_choices(kval population, kval weights, kval cum_weights, i64 k);
double k_randmod_uniform(double a, double b);
double k_randmod_triangular(double low, double high, kval mode);
double k_randmod_gauss(double mu, double sigma);
double k_randmod_normalvariate(double mu, double sigma);
double k_randmod_expovariate(double lambd);
