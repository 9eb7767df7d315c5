"""A program in several modules: a package's modules imported with `import`,
`import ... as`, `from ... import` and `from package import module`; a subclass of an
imported class overriding a method the other module calls; an exception class from
another module; module globals read and written through functions of their module."""

import shop.models as models
from shop import pricing
from shop.models import Discount, Item, OutOfStock, make


class BulkDiscount(Discount):
    def __init__(self, threshold: int) -> None:
        self.threshold = threshold

    def rate(self, item: Item) -> float:
        return 0.1 if item.quantity >= self.threshold else 0.0


basket = [make("apple", 0.5, 12), make("pear", 0.75, 3), models.Item("fig", 2.0)]
print(basket[0], models.created, models.CURRENCY)
print(pricing.basket_total(basket, Discount()))
print(pricing.basket_total(basket, BulkDiscount(10)))
print(pricing.cheapest(basket).sku)
discounts: list[models.Discount] = [Discount(), BulkDiscount(2)]
print([d.apply(basket[1]) for d in discounts], [type(d).__name__ for d in discounts])
try:
    pricing.basket_total(basket + [make("kiwi", 1.0, 0)], Discount())
except OutOfStock as e:
    print("OutOfStock:", e, e.sku, isinstance(e, models.OutOfStock), models.created)
print(__name__)
