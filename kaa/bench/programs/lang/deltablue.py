"""deltablue: an incremental one-way dataflow constraint solver (Freeman-Benson and Maloney).

    python3 deltablue.py [ROUNDS]     (default 700)

Variables are linked by constraints, each with a strength (required, strong preferred,
preferred, strong default, normal, weak default, weakest: a smaller number is stronger).
The planner keeps a solution in which every variable is computed by at most one satisfied
constraint ("determined by"), and no weaker constraint is satisfied at the cost of a
stronger one. Adding a constraint (incremental_add) satisfies it if it can, by choosing
which of its variables it computes (its method), and re-satisfies what it overrode;
removing one (incremental_remove) recomputes the walkabout strengths downstream and
re-adds the unsatisfied constraints, strongest first. Marks (a counter) stamp what a pass
has visited. A plan lists the satisfied constraints downstream of some inputs in an order
that respects their dependencies: executing it propagates new input values.

Constraints are a class hierarchy: unary ones (stay, edit) compute their one variable,
binary ones (equality, scale: dest = src * scale + offset, or back) one of two. Each round
runs two tests of 100 variables: a chain v0 = v1 = ... = v100 edited at one end, and a
projection of 100 pairs under a shared scale and offset, edited at every corner. Prints
the tests' figures of the last round and how many checks failed in all rounds.
"""

import sys
from typing import Final, Optional

DEFAULT_ROUNDS: Final = 700
SIZE: Final = 100


class Strength:
    REQUIRED: Final = 0
    STRONG_PREFERRED: Final = 1
    PREFERRED: Final = 2
    STRONG_DEFAULT: Final = 3
    NORMAL: Final = 4
    WEAK_DEFAULT: Final = 5
    WEAKEST: Final = 6


def stronger(a: int, b: int) -> bool:
    return a < b


def weakest_of(a: int, b: int) -> int:
    return a if a > b else b


class Variable:
    def __init__(self, name: str, value: int) -> None:
        self.name = name
        self.value = value
        self.constraints: list[Constraint] = []
        self.determined_by: Optional[Constraint] = None
        self.mark = 0
        self.walk_strength: int = Strength.WEAKEST
        self.stay = True

    def attach(self, c: "Constraint") -> None:
        self.constraints.append(c)

    def detach(self, c: "Constraint") -> None:
        kept: list[Constraint] = []
        for x in self.constraints:
            if x is not c:
                kept.append(x)
        self.constraints = kept
        if self.determined_by is c:
            self.determined_by = None


class Constraint:
    """What every constraint offers the planner; UnaryConstraint and BinaryConstraint
    override each method (the bodies here are never run)."""

    def __init__(self, strength: int) -> None:
        self.strength = strength

    def is_input(self) -> bool:
        return False

    def add_to_graph(self) -> None:
        pass

    def remove_from_graph(self) -> None:
        pass

    def choose_method(self, mark: int) -> None:
        pass

    def is_satisfied(self) -> bool:
        return False

    def mark_unsatisfied(self) -> None:
        pass

    def mark_inputs(self, mark: int) -> None:
        pass

    def inputs_known(self, mark: int) -> bool:
        return True

    def output(self) -> Variable:
        return Variable("none", 0)

    def recalculate(self) -> None:
        pass

    def execute(self) -> None:
        pass

    def satisfy(self, mark: int, planner: "Planner") -> "Optional[Constraint]":
        """Satisfy this constraint if it can; the constraint it overrode (now unsatisfied)."""
        self.choose_method(mark)
        if not self.is_satisfied():
            if self.strength == Strength.REQUIRED:
                planner.failures += 1           # could not satisfy a required constraint
            return None
        self.mark_inputs(mark)
        out = self.output()
        overridden = out.determined_by
        if overridden is not None:
            overridden.mark_unsatisfied()
        out.determined_by = self
        if not planner.add_propagate(self, mark):
            planner.failures += 1               # a cycle
        out.mark = mark
        return overridden


class UnaryConstraint(Constraint):
    def __init__(self, v: Variable, strength: int) -> None:
        super().__init__(strength)
        self.out = v
        self.satisfied = False

    def add_to_graph(self) -> None:
        self.out.attach(self)
        self.satisfied = False

    def remove_from_graph(self) -> None:
        self.out.detach(self)
        self.satisfied = False

    def choose_method(self, mark: int) -> None:
        self.satisfied = self.out.mark != mark and stronger(self.strength, self.out.walk_strength)

    def is_satisfied(self) -> bool:
        return self.satisfied

    def mark_unsatisfied(self) -> None:
        self.satisfied = False

    def output(self) -> Variable:
        return self.out

    def recalculate(self) -> None:
        self.out.walk_strength = self.strength
        self.out.stay = not self.is_input()
        if self.out.stay:
            self.execute()


class StayConstraint(UnaryConstraint):
    """Keeps its variable's value (planning treats it as a constant)."""


class EditConstraint(UnaryConstraint):
    """Marks its variable as an input that the user changes."""

    def is_input(self) -> bool:
        return True


class BinaryConstraint(Constraint):
    NONE: Final = 0
    FORWARD: Final = 1          # v1 -> v2
    BACKWARD: Final = 2         # v2 -> v1

    def __init__(self, v1: Variable, v2: Variable, strength: int) -> None:
        super().__init__(strength)
        self.v1 = v1
        self.v2 = v2
        self.direction: int = BinaryConstraint.NONE

    def add_to_graph(self) -> None:
        self.v1.attach(self)
        self.v2.attach(self)
        self.direction = BinaryConstraint.NONE

    def remove_from_graph(self) -> None:
        self.v1.detach(self)
        self.v2.detach(self)
        self.direction = BinaryConstraint.NONE

    def choose_method(self, mark: int) -> None:
        """Compute the variable that is not yet marked, or else the weaker one, if this
        constraint is stronger than what computes it now."""
        v1 = self.v1
        v2 = self.v2
        if v1.mark == mark:
            ok = v2.mark != mark and stronger(self.strength, v2.walk_strength)
            self.direction = BinaryConstraint.FORWARD if ok else BinaryConstraint.NONE
        elif v2.mark == mark:
            ok = v1.mark != mark and stronger(self.strength, v1.walk_strength)
            self.direction = BinaryConstraint.BACKWARD if ok else BinaryConstraint.NONE
        elif stronger(v2.walk_strength, v1.walk_strength):
            ok = stronger(self.strength, v1.walk_strength)
            self.direction = BinaryConstraint.BACKWARD if ok else BinaryConstraint.NONE
        else:
            ok = stronger(self.strength, v2.walk_strength)
            self.direction = BinaryConstraint.FORWARD if ok else BinaryConstraint.NONE

    def is_satisfied(self) -> bool:
        return self.direction != BinaryConstraint.NONE

    def mark_unsatisfied(self) -> None:
        self.direction = BinaryConstraint.NONE

    def input(self) -> Variable:
        return self.v1 if self.direction == BinaryConstraint.FORWARD else self.v2

    def output(self) -> Variable:
        return self.v2 if self.direction == BinaryConstraint.FORWARD else self.v1

    def mark_inputs(self, mark: int) -> None:
        self.input().mark = mark

    def inputs_known(self, mark: int) -> bool:
        i = self.input()
        return i.mark == mark or i.stay or i.determined_by is None

    def recalculate(self) -> None:
        i = self.input()
        out = self.output()
        out.walk_strength = weakest_of(self.strength, i.walk_strength)
        out.stay = i.stay
        if out.stay:
            self.execute()


class EqualityConstraint(BinaryConstraint):
    def execute(self) -> None:
        self.output().value = self.input().value


class ScaleConstraint(BinaryConstraint):
    """v2 = v1 * scale + offset, computed either way."""

    def __init__(self, src: Variable, scale: Variable, offset: Variable, dest: Variable, strength: int) -> None:
        super().__init__(src, dest, strength)
        self.scale = scale
        self.offset = offset

    def add_to_graph(self) -> None:
        super().add_to_graph()
        self.scale.attach(self)
        self.offset.attach(self)

    def remove_from_graph(self) -> None:
        super().remove_from_graph()
        self.scale.detach(self)
        self.offset.detach(self)

    def mark_inputs(self, mark: int) -> None:
        super().mark_inputs(mark)
        self.scale.mark = mark
        self.offset.mark = mark

    def execute(self) -> None:
        if self.direction == BinaryConstraint.FORWARD:
            self.v2.value = self.v1.value * self.scale.value + self.offset.value
        else:
            self.v1.value = (self.v2.value - self.offset.value) // self.scale.value

    def recalculate(self) -> None:
        i = self.input()
        out = self.output()
        out.walk_strength = weakest_of(self.strength, i.walk_strength)
        out.stay = i.stay and self.scale.stay and self.offset.stay
        if out.stay:
            self.execute()


class Plan:
    def __init__(self) -> None:
        self.steps: list[Constraint] = []

    def execute(self) -> None:
        for c in self.steps:
            c.execute()


class Planner:
    def __init__(self) -> None:
        self.current_mark = 0
        self.failures = 0

    def new_mark(self) -> int:
        self.current_mark += 1
        return self.current_mark

    def add(self, c: Constraint) -> None:
        c.add_to_graph()
        self.incremental_add(c)

    def remove(self, c: Constraint) -> None:
        if c.is_satisfied():
            self.incremental_remove(c)
        c.remove_from_graph()

    def incremental_add(self, c: Constraint) -> None:
        mark = self.new_mark()
        overridden = c.satisfy(mark, self)
        while overridden is not None:
            overridden = overridden.satisfy(mark, self)

    def incremental_remove(self, c: Constraint) -> None:
        out = c.output()
        c.mark_unsatisfied()
        c.remove_from_graph()
        unsatisfied = self.remove_propagate_from(out)
        for strength in range(Strength.REQUIRED, Strength.WEAKEST):
            for u in unsatisfied:
                if u.strength == strength:
                    self.incremental_add(u)

    def add_propagate(self, c: Constraint, mark: int) -> bool:
        """Recompute the walkabout strengths downstream of c; False on a cycle (c is removed)."""
        todo: list[Constraint] = [c]
        i = 0
        while i < len(todo):
            d = todo[i]
            i += 1
            if d.output().mark == mark:
                self.incremental_remove(c)
                return False
            d.recalculate()
            self.consumers(d.output(), todo)
        return True

    def remove_propagate_from(self, out: Variable) -> list[Constraint]:
        """Forget what out was computed by and update downstream; the unsatisfied constraints met."""
        out.determined_by = None
        out.walk_strength = Strength.WEAKEST
        out.stay = True
        unsatisfied: list[Constraint] = []
        todo: list[Variable] = [out]
        i = 0
        while i < len(todo):
            v = todo[i]
            i += 1
            for c in v.constraints:
                if not c.is_satisfied():
                    unsatisfied.append(c)
            determining = v.determined_by
            for c in v.constraints:
                if c is not determining and c.is_satisfied():
                    c.recalculate()
                    todo.append(c.output())
        return unsatisfied

    def consumers(self, v: Variable, into: list[Constraint]) -> None:
        """Append the satisfied constraints that read v."""
        determining = v.determined_by
        for c in v.constraints:
            if c is not determining and c.is_satisfied():
                into.append(c)

    def make_plan(self, sources: list[Constraint]) -> Plan:
        mark = self.new_mark()
        plan = Plan()
        todo: list[Constraint] = []
        for c in sources:
            todo.append(c)
        i = 0
        while i < len(todo):
            c = todo[i]
            i += 1
            out = c.output()
            if out.mark != mark and c.inputs_known(mark):
                plan.steps.append(c)
                out.mark = mark
                self.consumers(out, todo)
        return plan

    def plan_for_inputs(self, constraints: list[Constraint]) -> Plan:
        sources: list[Constraint] = []
        for c in constraints:
            if c.is_input() and c.is_satisfied():
                sources.append(c)
        return self.make_plan(sources)


def change(planner: Planner, v: Variable, value: int) -> None:
    """Set v through an edit constraint and propagate, as a user edit does."""
    edit = EditConstraint(v, Strength.PREFERRED)
    planner.add(edit)
    plan = planner.plan_for_inputs([edit])
    for _ in range(10):
        v.value = value
        plan.execute()
    planner.remove(edit)


def chain_test(n: int) -> tuple[int, int]:
    """v0 = v1 = ... = vn, vn staying and v0 edited: (failed checks, sum of the last values)."""
    planner = Planner()
    chain: list[Variable] = []
    for i in range(n + 1):
        chain.append(Variable(f"v{i}", 0))
    for i in range(n):
        planner.add(EqualityConstraint(chain[i], chain[i + 1], Strength.REQUIRED))
    first = chain[0]
    last = chain[n]
    planner.add(StayConstraint(last, Strength.STRONG_DEFAULT))
    edit = EditConstraint(first, Strength.PREFERRED)
    planner.add(edit)
    plan = planner.plan_for_inputs([edit])
    failed = 0
    total = 0
    for i in range(100):
        first.value = i
        plan.execute()
        if last.value != i:
            failed += 1
        total += last.value
    return failed + planner.failures, total


def projection_test(n: int) -> tuple[int, int]:
    """dst_i = src_i * scale + offset for n pairs, edited at each corner: (failed checks, sum)."""
    planner = Planner()
    scale = Variable("scale", 10)
    offset = Variable("offset", 1000)
    dests: list[Variable] = []
    src = Variable("src", 0)
    dst = Variable("dst", 0)
    for i in range(n):
        src = Variable(f"src{i}", i)
        dst = Variable(f"dst{i}", i)
        dests.append(dst)
        planner.add(StayConstraint(src, Strength.NORMAL))
        planner.add(ScaleConstraint(src, scale, offset, dst, Strength.REQUIRED))
    failed = 0
    change(planner, src, 17)
    if dst.value != 1170:
        failed += 1
    change(planner, dst, 1050)
    if src.value != 5:
        failed += 1
    change(planner, scale, 5)
    for i in range(n - 1):
        if dests[i].value != i * 5 + 1000:
            failed += 1
    change(planner, offset, 2000)
    for i in range(n - 1):
        if dests[i].value != i * 5 + 2000:
            failed += 1
    total = 0
    for d in dests:
        total += d.value
    return failed + planner.failures, total


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ROUNDS
    failed = 0
    chain_sum = 0
    projection_sum = 0
    for _ in range(rounds):
        f1, chain_sum = chain_test(SIZE)
        f2, projection_sum = projection_test(SIZE)
        failed += f1 + f2
    print(f"chain sum {chain_sum}, projection sum {projection_sum}, rounds {rounds}, failed checks {failed}")


main()
