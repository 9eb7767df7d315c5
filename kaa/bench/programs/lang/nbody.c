/* nbody.c: the C floor for nbody.py -- the same bodies, the same steps in the same order,
 * the same output ("%.9f" of the energy before and after).
 *
 *     gcc -O2 nbody.c -o nbody -lm && ./nbody [STEPS]      (default 500000)
 *
 * Bodies are an array of structs of seven doubles; the square root is libm's sqrt (the
 * Python program's d2 ** 0.5). See nbody.py for the algorithm.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_STEPS 500000
#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NBODIES 5

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static void set(struct body *b, double x, double y, double z, double vx, double vy, double vz, double mass)
{
    b->x = x;
    b->y = y;
    b->z = z;
    b->vx = vx * DAYS_PER_YEAR;
    b->vy = vy * DAYS_PER_YEAR;
    b->vz = vz * DAYS_PER_YEAR;
    b->mass = mass * SOLAR_MASS;
}

/* The Sun, Jupiter, Saturn, Uranus, Neptune (positions in AU, velocities in AU/day). */
static void solar_system(struct body *b)
{
    set(&b[0], 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0);
    set(&b[1], 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
        1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
        9.54791938424326609e-04);
    set(&b[2], 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
        -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
        2.85885980666130812e-04);
    set(&b[3], 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
        2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
        4.36624404335156298e-05);
    set(&b[4], 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
        2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
        5.15138902046611451e-05);
}

static void offset_momentum(struct body *b, int n)
{
    double px = 0.0, py = 0.0, pz = 0.0;
    for (int i = 0; i < n; i++) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

static double energy(const struct body *b, int n)
{
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= (b[i].mass * b[j].mass) / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(struct body *b, int n, double dt, long steps)
{
    for (long s = 0; s < steps; s++) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = dt / (d2 * sqrt(d2));
                double bm = b[i].mass * mag, om = b[j].mass * mag;
                b[i].vx -= dx * om;
                b[i].vy -= dy * om;
                b[i].vz -= dz * om;
                b[j].vx += dx * bm;
                b[j].vy += dy * bm;
                b[j].vz += dz * bm;
            }
        }
        for (int i = 0; i < n; i++) {
            b[i].x += dt * b[i].vx;
            b[i].y += dt * b[i].vy;
            b[i].z += dt * b[i].vz;
        }
    }
}

int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : DEFAULT_STEPS;
    struct body bodies[NBODIES];
    solar_system(bodies);
    offset_momentum(bodies, NBODIES);
    printf("%.9f\n", energy(bodies, NBODIES));
    advance(bodies, NBODIES, 0.01, steps);
    printf("%.9f\n", energy(bodies, NBODIES));
    return 0;
}
