"""A synthetic logbook for trying the app and for benchmarks: ``logbook demo --rows N``.

Everything in it is invented and says so: every title starts with "[Synthetic]" and every incident carries the
tag "synthetic". The shape is realistic: ten years of dates, countries with a strong skew, every enumeration,
casualty figures that are unknown, exact, ranges and open ("at least N"), one to three sources, and text of
the lengths people write. The same seed gives the same logbook.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator
from itertools import accumulate
from pathlib import Path

from logbook.domain.conversions import COUNTRY_BOUNDS
from logbook.domain.enums import (
    Attribution,
    Damage,
    DatePrecision,
    EventType,
    GeoPrecision,
    LabelledEnum,
    Outcome,
    SourceKind,
    TargetType,
    Verification,
    Weapon,
)
from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository

SYNTHETIC_TAG = "synthetic"
FIRST_DAY = dt.date(2016, 1, 1)
DAYS = 3653  # ten years
# (code, weight, rough centre): most incidents in a few countries, a long tail elsewhere. The centre places the
# incidents of a country without a box in conversions.COUNTRY_BOUNDS.
COUNTRIES = (
    ("IQ", 24, (33.2, 43.7)), ("SY", 20, (35.0, 38.5)), ("UA", 12, (48.4, 31.2)), ("YE", 8, (15.6, 48.0)),
    ("PS", 5, (31.9, 35.2)), ("IL", 4, (31.0, 34.9)), ("LB", 4, (33.9, 35.9)), ("SO", 3, (5.2, 46.2)),
    ("AF", 3, (33.9, 67.7)), ("ML", 2, (17.6, -4.0)), ("NG", 2, (9.1, 8.7)), ("SD", 2, (12.9, 30.2)),
    ("LY", 2, (26.3, 17.2)), ("IR", 2, (32.4, 53.7)), ("JO", 1, (30.6, 36.2)), ("SA", 1, (23.9, 45.1)),
    ("BF", 1, (12.2, -1.6)), ("CD", 1, (-4.0, 21.8)), ("PK", 1, (30.4, 69.3)), ("TR", 1, (38.9, 35.2)),
    ("MZ", 1, (-18.7, 35.5)), ("NE", 1, (17.6, 8.1)), ("ET", 1, (9.1, 40.5)), ("RU", 1, (55.8, 37.6)),
)  # fmt: skip
SYLLABLES = ("al", "an", "bar", "dar", "el", "ha", "ka", "mar", "na", "qa", "ras", "sa", "ta", "wa", "za", "kh")
PLACE_KINDS = ("air base", "garrison", "checkpoint", "port", "camp", "district", "village", "airfield", "bridge")
GROUPS = ("Brigade", "Front", "Movement", "Battalion", "Resistance", "Army", "Forces", "Network")
OUTLETS = (
    ("Ministry of Defence statement", SourceKind.OFFICIAL), ("Joint Command briefing", SourceKind.OFFICIAL),
    ("Wire service report", SourceKind.MEDIA), ("Regional newspaper", SourceKind.MEDIA),
    ("Broadcaster live page", SourceKind.MEDIA), ("Open-source analyst thread", SourceKind.OPEN_SOURCE),
    ("Geolocated video", SourceKind.OPEN_SOURCE), ("Channel post", SourceKind.SOCIAL_MEDIA),
    ("Monitoring NGO report", SourceKind.NGO), ("Local contact", SourceKind.OTHER),
)  # fmt: skip
SENTENCES = (
    "Officials said the attack was the third in the area this week.",
    "No group immediately claimed responsibility.",
    "Air defences engaged the incoming projectiles.",
    "Local residents reported several loud explosions before dawn.",
    "The figures were revised the following day.",
    "Damage to the perimeter was described as limited.",
    "A spokesperson declined to give further details.",
    "Casualty figures could not be independently verified.",
)


def _codes(enum: type[LabelledEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


# Choices precomputed once: iterating an Enum or re-summing weights per incident costs more than the rest.
EVENT_TYPES, EVENT_WEIGHTS = tuple(EventType), tuple(accumulate((60, 25, 10, 5)))
WEAPONS, WEAPON_WEIGHTS = tuple(Weapon), tuple(accumulate((30, 20, 12, 8, 8, 10, 5, 3, 4)))
PRECISIONS, PRECISION_WEIGHTS = _codes(DatePrecision), tuple(accumulate((85, 5, 8, 2)))
OUTCOMES, OUTCOME_WEIGHTS = _codes(Outcome), tuple(accumulate((30, 25, 35, 10)))
GEO_PRECISIONS, TARGET_TYPES, ATTRIBUTIONS = _codes(GeoPrecision), _codes(TargetType), _codes(Attribution)
DAMAGES, VERIFICATIONS = _codes(Damage), _codes(Verification)
TARGETS = ("coalition forces", "a supply convoy", "the embassy compound", "a power station", "a market", None)
ATTRIBUTERS = ("Ministry of Defence", "Joint Command", "local officials", None)
BLOCK = 10_000  # incidents whose fields are drawn together
LATE_SHARE, LATE_DAYS = 0.1, 60  # incidents logged after the ones that happened later


def create_demo(
    path: str | Path, rows: int, seed: int = 1, progress: Callable[[int, int], object] | None = None
) -> int:
    """Create a synthetic logbook of ``rows`` incidents at ``path`` (a new file); returns the count. ``progress``
    is called with the incidents made so far and ``rows``, a block at a time; storing them continues after the
    last call (the indexes are built once every row is in)."""
    target = Path(path)
    if target.exists():
        raise FileExistsError(f"{target} already exists; the demo only writes a new logbook")
    engine = open_logbook(target)
    incidents = synthetic_incidents(rows, seed)
    try:
        return Repository(engine).add_many(incidents if progress is None else _reported(incidents, rows, progress))
    finally:
        engine.dispose()


def _reported(
    incidents: Iterator[IncidentDraft], rows: int, progress: Callable[[int, int], object]
) -> Iterator[IncidentDraft]:
    for number, incident in enumerate(incidents):
        if number % BLOCK == 0:
            progress(number, rows)
        yield incident
    progress(rows, rows)


def synthetic_incidents(rows: int, seed: int = 1) -> Iterator[IncidentDraft]:
    """The incidents in the order a log kept over the ten years would have them: mostly by date, with one in ten
    entered late (up to LATE_DAYS after it happened). Drawn a block of fields at a time, which costs a fraction of
    drawing each field of each incident on its own."""
    rng = random.Random(seed)
    pools = _Pools(rng)
    for first in range(0, rows, BLOCK):
        yield from _block(rng, pools, first, min(BLOCK, rows - first), rows)


class _Pools:
    """What the incidents draw from: invented places, provinces and groups, casualty figures and notes."""

    def __init__(self, rng: random.Random) -> None:
        self.days = [FIRST_DAY + dt.timedelta(days=n) for n in range(DAYS)]
        self.codes = [code for code, _weight, _centre in COUNTRIES]
        self.country_weights = list(accumulate(weight for _code, weight, _centre in COUNTRIES))
        self.centres = {code: centre for code, _weight, centre in COUNTRIES}
        self.places = [_place(rng) for _ in range(3000)]
        self.provinces = [*(_word(rng, 2).capitalize() + " Province" for _ in range(150)), *(None,) * 64]  # 70 %
        self.groups = [*(f"{_word(rng, 2).capitalize()} {rng.choice(GROUPS)}" for _ in range(400)), *(None,) * 133]
        self.casualties = [_casualties(rng) for _ in range(4096)]
        self.notes = [" ".join(rng.sample(SENTENCES, rng.randint(0, 4))) or None for _ in range(512)]
        self.labels = {member: member.label for member in (*EVENT_TYPES, *WEAPONS)}


def _block(rng: random.Random, pools: _Pools, first: int, size: int, rows: int) -> Iterator[IncidentDraft]:
    choices = rng.choices
    countries = choices(pools.codes, cum_weights=pools.country_weights, k=size)
    event_types = choices(EVENT_TYPES, cum_weights=EVENT_WEIGHTS, k=size)
    weapons = choices(WEAPONS, cum_weights=WEAPON_WEIGHTS, k=size)
    precisions = choices(PRECISIONS, cum_weights=PRECISION_WEIGHTS, k=size)
    outcomes = choices(OUTCOMES, cum_weights=OUTCOME_WEIGHTS, k=size)
    columns = zip(
        range(first, first + size), countries, event_types, weapons, precisions, outcomes,
        choices(pools.places, k=size), choices(pools.provinces, k=size), choices(pools.groups, k=size),
        choices(GEO_PRECISIONS, k=size), choices(TARGET_TYPES, k=size), choices(TARGETS, k=size),
        choices(ATTRIBUTIONS, k=size), choices(ATTRIBUTERS, k=size), choices(DAMAGES, k=size),
        choices(VERIFICATIONS, k=size), choices(pools.casualties, k=size), choices(pools.casualties, k=size),
        choices(pools.notes, k=size),
        strict=True,
    )  # fmt: skip
    random_, randint, labels = rng.random, rng.randint, pools.labels
    for (
        number, country, event_type, weapon, precision, outcome, location, admin1, perpetrator, geo_precision,
        target_type, target, attribution, attributed_by, damage, verification, killed, injured, notes,
    ) in columns:  # fmt: skip
        day = number * DAYS // rows
        if random_() < LATE_SHARE:
            day = max(0, day - randint(1, LATE_DAYS))
        start = pools.days[day]
        located = random_() < 0.6
        latitude, longitude = _point(rng, country, pools.centres[country]) if located else (None, None)
        yield IncidentDraft(
            uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            date_start=start,
            date_end=start + dt.timedelta(days=randint(1, 6)) if random_() < 0.08 else None,
            date_precision=precision,
            country=country,
            admin1=admin1,
            location=location,
            latitude=latitude,
            longitude=longitude,
            geo_precision=geo_precision if located else None,
            event_type=event_type.value,
            weapon=weapon.value,
            target_type=target_type,
            target=target,
            perpetrator=perpetrator,
            attribution=attribution,
            attributed_by=attributed_by,
            outcome=outcome,
            damage=damage,
            killed_min=killed[0],
            killed_max=killed[1],
            injured_min=injured[0],
            injured_max=injured[1],
            verification=verification,
            title=f"[Synthetic] {labels[weapon]} {labels[event_type].lower()} near {location} #{number + 1}",
            notes=notes,
            sources=[_source(rng, start) for _ in range(randint(1, 3))],
            tags=[SYNTHETIC_TAG, weapon.value],
        )


def _point(rng: random.Random, country: str, centre: tuple[float, float]) -> tuple[float, float]:
    """A place in the country's rough box, the one an import checks coordinates against (a point off it gets a
    warning), or near the country's centre where there is no box."""
    box = COUNTRY_BOUNDS.get(country)
    if box is None:
        return round(centre[0] + rng.uniform(-2, 2), 4), round(centre[1] + rng.uniform(-2, 2), 4)
    west, south, east, north = box
    return round(rng.uniform(south, north), 4), round(rng.uniform(west, east), 4)


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def _place(rng: random.Random) -> str:
    return f"{_word(rng, rng.randint(2, 3)).capitalize()} {rng.choice(PLACE_KINDS)}"


def _casualties(rng: random.Random) -> tuple[int | None, int | None]:
    """Unknown, exact (mostly small), a range, or open-ended, in realistic proportions."""
    roll = rng.random()
    if roll < 0.3:
        return None, None
    low = min(int(rng.expovariate(0.4)), 500) if rng.random() < 0.6 else 0
    if roll < 0.75:
        return low, low
    if roll < 0.9:
        return low, low + rng.randint(1, 20)
    return low, None


def _source(rng: random.Random, published: dt.date) -> SourceDraft:
    name, kind = rng.choice(OUTLETS)
    url = f"https://example.org/synthetic/{rng.getrandbits(40):x}" if rng.random() < 0.8 else None
    return SourceDraft(name, kind.value, url, published + dt.timedelta(days=rng.randint(0, 2)))
