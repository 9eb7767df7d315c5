"""The shop's data: imported by pricing and by the program (a diamond: run once)."""

from dataclasses import dataclass

print("loading", __name__)

CURRENCY = "EUR"
created = 0


@dataclass
class Item:
    sku: str
    price: float
    quantity: int = 1

    def total(self) -> float:
        return self.price * self.quantity


class Discount:
    """Subclassed in another module: rate() dispatches to the override from this module's code."""

    def rate(self, item: Item) -> float:
        return 0.0

    def apply(self, item: Item) -> float:
        return round(item.total() * (1.0 - self.rate(item)), 2)


class OutOfStock(Exception):
    def __init__(self, sku: str) -> None:
        super().__init__(f"{sku} is out of stock")
        self.sku = sku


def make(sku: str, price: float, quantity: int = 1) -> Item:
    global created
    created += 1
    return Item(sku, price, quantity)
