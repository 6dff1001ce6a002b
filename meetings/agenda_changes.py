"""What changed between two agendas as sent (lists of item dicts, as
`models.AgendaVersion.items` keeps them): added, removed, renamed and moved items."""

from dataclasses import dataclass, field


@dataclass
class AgendaChanges:
    """What changed between two agendas (lists of item dicts as `AgendaVersion.items`)."""

    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    retitled: list = field(default_factory=list)  # (item, the title before)
    moved: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.added or self.removed or self.retitled or self.moved)

    @classmethod
    def between(cls, before, after) -> "AgendaChanges":
        old = {item["id"]: item for item in before}
        kept = [item for item in after if item["id"] in old]
        order = {item["id"]: index for index, item in enumerate(before)}
        in_place = _longest_rising([order[item["id"]] for item in kept])
        return cls(
            added=[item for item in after if item["id"] not in old],
            removed=[item for item in before if item["id"] not in {i["id"] for i in after}],
            retitled=[
                (item, old[item["id"]]["title"])
                for item in kept
                if item["title"] != old[item["id"]]["title"]
            ],
            # The fewest items that moved: all but the longest run kept in its order.
            moved=[item for index, item in enumerate(kept) if index not in in_place],
        )


def _longest_rising(values) -> set[int]:
    """The indexes of a longest strictly rising subsequence of `values`."""
    best = [1] * len(values)
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            if values[j] < value and best[j] + 1 > best[i]:
                best[i], previous[i] = best[j] + 1, j
    index = max(range(len(values)), key=best.__getitem__, default=-1)
    found = set()
    while index != -1:
        found.add(index)
        index = previous[index]
    return found
