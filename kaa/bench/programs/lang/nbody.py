"""nbody: the Sun and the four giant planets under Newtonian gravity, by symplectic Euler.

    python3 nbody.py [STEPS]          (default 500000; the C twin is nbody.c)

Each body is an object of seven floats (position, velocity in AU/day * 365.24, mass in
solar masses * 4 pi^2). The Sun's velocity is first set so the system's momentum is zero.
A step of dt = 0.01 visits every pair once: the pair's distance d, then each velocity
moves by the other's mass * dt / d^3 along the separation; then every position moves by
dt * velocity. Prints the system's energy (kinetic + potential) before and after, to nine
decimals: the checksum. Work: 10 pair interactions (a square root, a division, ~30 float
operations) per step.
"""

import sys
from typing import Final

DEFAULT_STEPS: Final = 500000
PI: Final = 3.141592653589793
SOLAR_MASS: Final = 4.0 * PI * PI
DAYS_PER_YEAR: Final = 365.24


class Body:
    def __init__(self, x: float, y: float, z: float, vx: float, vy: float, vz: float, mass: float) -> None:
        self.x = x
        self.y = y
        self.z = z
        self.vx: float = vx * DAYS_PER_YEAR
        self.vy: float = vy * DAYS_PER_YEAR
        self.vz: float = vz * DAYS_PER_YEAR
        self.mass: float = mass * SOLAR_MASS


def solar_system() -> list[Body]:
    """The Sun, Jupiter, Saturn, Uranus, Neptune (positions in AU, velocities in AU/day)."""
    bodies: list[Body] = []
    bodies.append(Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0))
    bodies.append(Body(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
                       1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
                       9.54791938424326609e-04))
    bodies.append(Body(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
                       -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
                       2.85885980666130812e-04))
    bodies.append(Body(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
                       2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
                       4.36624404335156298e-05))
    bodies.append(Body(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
                       2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
                       5.15138902046611451e-05))
    return bodies


def offset_momentum(bodies: list[Body]) -> None:
    px = 0.0
    py = 0.0
    pz = 0.0
    for b in bodies:
        px += b.vx * b.mass
        py += b.vy * b.mass
        pz += b.vz * b.mass
    sun = bodies[0]
    sun.vx = -px / SOLAR_MASS
    sun.vy = -py / SOLAR_MASS
    sun.vz = -pz / SOLAR_MASS


def energy(bodies: list[Body]) -> float:
    e = 0.0
    n = len(bodies)
    for i in range(n):
        b = bodies[i]
        e += 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz)
        for j in range(i + 1, n):
            o = bodies[j]
            dx = b.x - o.x
            dy = b.y - o.y
            dz = b.z - o.z
            distance: float = (dx * dx + dy * dy + dz * dz) ** 0.5
            e -= (b.mass * o.mass) / distance
    return e


def advance(bodies: list[Body], dt: float, steps: int) -> None:
    n = len(bodies)
    for _ in range(steps):
        for i in range(n):
            b = bodies[i]
            for j in range(i + 1, n):
                o = bodies[j]
                dx = b.x - o.x
                dy = b.y - o.y
                dz = b.z - o.z
                d2 = dx * dx + dy * dy + dz * dz
                distance: float = d2 ** 0.5
                mag = dt / (d2 * distance)
                bm = b.mass * mag
                om = o.mass * mag
                b.vx -= dx * om
                b.vy -= dy * om
                b.vz -= dz * om
                o.vx += dx * bm
                o.vy += dy * bm
                o.vz += dz * bm
        for b in bodies:
            b.x += dt * b.vx
            b.y += dt * b.vy
            b.z += dt * b.vz


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_STEPS
    bodies = solar_system()
    offset_momentum(bodies)
    print(f"{energy(bodies):.9f}")
    advance(bodies, 0.01, steps)
    print(f"{energy(bodies):.9f}")


main()
