"""An exception from another module's function, uncaught: the traceback names each
module's file, and the class by its module (shop.models.OutOfStock)."""

from shop import pricing
from shop.models import Discount, make

print(pricing.basket_total([make("fig", 2.0)], Discount()))
print(pricing.basket_total([make("kiwi", 1.0, 0)], Discount()))
