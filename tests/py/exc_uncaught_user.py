"""An uncaught user exception raised from a method called in a loop at module level."""


class InsufficientFunds(Exception):
    def __init__(self, needed: int, available: int) -> None:
        super().__init__(f"need {needed}, have {available}")
        self.needed = needed
        self.available = available


class Wallet:
    def __init__(self, balance: int) -> None:
        self.balance = balance

    def pay(self, amount: int) -> int:
        if amount > self.balance:
            raise InsufficientFunds(amount, self.balance)
        self.balance -= amount
        return self.balance


wallet = Wallet(100)
total = 0
for price in [30, 25, 40, 10]:
    try:
        left = wallet.pay(price)
    except InsufficientFunds as e:
        print("declined", price, e.needed - e.available)
        continue
    total += price
    print("paid", price, "left", left)
print("total", total)
wallet.pay(total)
print("unreachable")
