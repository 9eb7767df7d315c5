"""Classes: __init__, attributes, methods, class-level constants, mutation through references."""


class Counter:
    STEP = 1
    LIMIT = 5

    def __init__(self, name: str, start: int = 0) -> None:
        self.name = name
        self.value = start
        self.history: list[int] = []

    def tick(self) -> bool:
        if self.value >= Counter.LIMIT:
            return False
        self.value += self.STEP
        self.history.append(self.value)
        return True

    def describe(self) -> str:
        return f"{self.name}={self.value} after {len(self.history)} ticks"


class Account:
    RATE = 0.05

    def __init__(self, owner: str, balance: float) -> None:
        self.owner = owner
        self.balance = balance

    def deposit(self, amount: float) -> "Account":
        self.balance += amount
        return self

    def withdraw(self, amount: float) -> bool:
        if amount > self.balance:
            return False
        self.balance -= amount
        return True

    def add_interest(self) -> None:
        self.balance = round(self.balance * (1 + self.RATE), 2)


def transfer(src: Account, dst: Account, amount: float) -> str:
    if src.withdraw(amount):
        dst.deposit(amount)
        return f"moved {amount:.2f} from {src.owner} to {dst.owner}"
    return f"{src.owner} cannot pay {amount:.2f}"


def main() -> None:
    c = Counter("c")
    while c.tick():
        pass
    print(c.describe(), c.history, c.value, Counter.LIMIT, c.STEP)
    d = Counter("d", 3)
    d.tick()
    print(d.describe(), d.history)
    d.name = "renamed"
    d.history.append(-1)
    print(d.describe(), d.history)
    alice = Account("alice", 100.0)
    bob = Account("bob", 20.0)
    print(transfer(alice, bob, 30.0))
    print(transfer(bob, alice, 80.0))
    alice.deposit(10).deposit(5.5)
    alice.add_interest()
    bob.add_interest()
    print(alice.owner, alice.balance, bob.owner, bob.balance, Account.RATE)
    accounts = [alice, bob, Account("carol", 0.0)]
    richest = max(accounts, key=lambda a: a.balance)
    print(richest.owner, [a.owner for a in sorted(accounts, key=lambda a: a.balance)])
    same = accounts[0]
    same.balance = 1.0
    print(alice.balance, same is alice, accounts[1] is alice)
    counters = [Counter(f"n{i}", i) for i in range(4)]
    for k in counters:
        k.tick()
        k.tick()
    print([k.value for k in counters], [k.describe() for k in counters if k.value > 3])


if __name__ == "__main__":
    main()
