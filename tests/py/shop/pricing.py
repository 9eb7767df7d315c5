"""Prices for a basket: uses shop.models through both kinds of import."""

import shop.models
from . import models as siblings
from .models import CURRENCY, Discount, Item, OutOfStock

print("loading", __name__, "with", shop.models.CURRENCY)


def basket_total(items: list[Item], discount: Discount) -> str:
    for item in items:
        if item.quantity == 0:
            raise OutOfStock(item.sku)
    total = sum(discount.apply(i) for i in items)
    return f"{total:.2f} {CURRENCY} ({siblings.created} items made)"


def cheapest(items: list[shop.models.Item]) -> shop.models.Item:
    return min(items, key=lambda i: i.price)
