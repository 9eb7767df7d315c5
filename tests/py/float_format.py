"""Float format specs: fixed, exponent, general, percent, width, fill, alignment, grouping."""


def table(values: list[float], specs: list[str]) -> None:
    for v in values:
        cells = [f"{v:{spec}}" for spec in specs]
        print(" | ".join(cells))


def main() -> None:
    values = [0.0, -0.0, 1.0, 0.5, 2.675, 3.14159265, -123.456, 1234567.891, 1e-7, 6.02e23, 1e16]
    table(values, [".2f", ".0f", ".3e", "g", ".3g", "%", ".1%", "12.4f", "<12.2f", "^12.1e"])
    big = 1234567.891
    print(f"{big:,}|{big:,.2f}|{big:_.3f}|{big:>20,.2f}|{big:*^20,.1f}|{big:020,.2f}")
    print(f"{-big:+.2f}|{big:+.2f}|{big: .2f}|{-big: .2f}|{big:=+15.2f}|{big:#.0f}")
    print(f"{0.000123456:g}|{123456789.0:g}|{1e-5:g}|{1e-4:g}|{100000.0:g}|{1000000.0:g}")
    print(f"{1.5:G}|{1e-10:G}|{1e20:E}|{2.5:.0e}|{12.0:.10g}|{12.0:#g}")
    print(f"{float('inf'):.2f}|{float('-inf'):8.1f}|{float('nan'):e}|{float('inf'):%}|{float('nan'):>6}")
    print(f"{0.5:.0f}|{1.5:.0f}|{2.5:.0f}|{0.125:.2f}|{0.375:.2f}|{1.005:.2f}")
    print(f"{3.0:}|{3.0:10}|{3.0:<10}|{-3.0:010}|{3.25:_<9}|{1e300:.3}")
    print(f"{1/3:.20f}|{2/3:.17g}|{1e22:.0f}|{1e23:.0f}|{2**0.5:.15e}")
    width, precision = 12, 3
    for v in (3.14159, -2.5, 1e6):
        print(f"[{v:{width}.{precision}f}] [{v:>{width}.{precision + 2}e}] [{v:{'<'}{width}}]")
    print(f"{3:.2f}|{-7:e}|{10:%}|{12345:g}|{True:.1f}")
    prices = [("coffee", 3.5), ("bagel", 2.25), ("juice", 4.0), ("total", 9.75)]
    for item, price in prices:
        print(f"{item:.<12}{price:>8.2f}")
    ratios = [1 / 7, 22 / 7, 355 / 113, 1e-3 / 7]
    print(" ".join(f"{r:.4g}" for r in ratios), " ".join(f"{r:10.3e}" for r in ratios))
    print(f"{0.1 + 0.2:.17f}|{0.1 + 0.2:.1f}|{-1e-300:.3f}|{123.456:08.2f}|{-123.456:+09.1f}")


if __name__ == "__main__":
    main()
