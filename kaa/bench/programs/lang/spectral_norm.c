/* spectral_norm.c: the C floor for spectral_norm.py -- the same matrix entries, products
 * and rounds in the same order, the same output ("%.9f" of the norm).
 *
 *     gcc -O2 spectral_norm.c -o spectral_norm -lm && ./spectral_norm [N]   (default 600)
 *
 * Vectors are malloc'd arrays of doubles; entries are computed when used, as in the
 * Python program (see spectral_norm.py for the algorithm).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_N 600

static double entry(long i, long j)
{
    long ij = i + j;
    return 1.0 / (double)(ij * (ij + 1) / 2 + i + 1);
}

static void times_a(const double *u, double *out, long n)
{
    for (long i = 0; i < n; i++) {
        double s = 0.0;
        for (long j = 0; j < n; j++)
            s += entry(i, j) * u[j];
        out[i] = s;
    }
}

static void times_at(const double *u, double *out, long n)
{
    for (long i = 0; i < n; i++) {
        double s = 0.0;
        for (long j = 0; j < n; j++)
            s += entry(j, i) * u[j];
        out[i] = s;
    }
}

static void times_ata(const double *u, double *out, double *tmp, long n)
{
    times_a(u, tmp, n);
    times_at(tmp, out, n);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : DEFAULT_N;
    double *u = malloc(n * sizeof *u), *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
    if (!u || !v || !tmp)
        return 1;
    for (long i = 0; i < n; i++) {
        u[i] = 1.0;
        v[i] = 0.0;
        tmp[i] = 0.0;
    }
    for (int r = 0; r < 10; r++) {
        times_ata(u, v, tmp, n);
        times_ata(v, u, tmp, n);
    }
    double vbv = 0.0, vv = 0.0;
    for (long i = 0; i < n; i++) {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    printf("%.9f\n", sqrt(vbv / vv));
    free(u);
    free(v);
    free(tmp);
    return 0;
}
