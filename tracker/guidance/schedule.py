"""When an item is due again: a learning phase, then spaced reviews, replayed from the history.

How it works, in plain words:
- A review is one item on one day. Playing an item twice in a day is one review, and it counts
  with the best rating of that day. A play without a rating counts as an ordinary one (3).
- Learning (new, not started, in progress, learning and polishing items): after a poor day
  (rated 1 or 2) the item is due again the next day; otherwise it is due every second day.
  Once you have had two good days with it — rated 4 or 5, or played clean at its target tempo,
  on two different days — it moves to maintenance.
- Maintenance (performance-ready items, and items that finished learning): the gaps grow as the
  item stays solid, worked out by FSRS, the published spaced-repetition scheduler, set to aim at
  an 85 % chance that the item is still there when it comes back, and never more than 60 days
  apart. The ratings mean: 1 fell apart, 2 hard, 3 or 4 good, 5 easy. The day an item finishes
  learning is its first maintenance review.
- A day rated 1 in maintenance sends the item back to learning: due the next day, and two good
  days are needed again.
- If you set your own interval ("every 3 days"), it replaces the computed one: the item is due
  that many days after you last played it.
- Nothing is remembered between runs: the state is worked out again from the whole history
  every time, so editing or deleting an old session gives exactly the state it would have had
  if the session had always been that way. An item's phase at the start of its history comes
  from its status today.
"""

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from fsrs import Card
from fsrs import Rating
from fsrs import Scheduler

from tracker.guidance.items import KINDS

LEARNING = "learning"
MAINTENANCE = "maintenance"
UNRATED = 3  # a play with no rating is an ordinary session, neither good nor poor
POOR_RATING = 2  # 1–2: due again the next day while learning
GOOD_RATING = 4  # 4–5 is a good day towards leaving the learning phase
GOOD_DAYS_TO_GRADUATE = 2
LEARNING_GAP_AFTER_POOR = 1
LEARNING_GAP = 2
# 3 and 4 both map to Good: on our scale 4 is "went well", which is what FSRS calls Good;
# Easy shortens nothing and lengthens the gap a lot, so only a 5 earns it.
FSRS_RATINGS = {1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Good, 5: Rating.Easy}
# No learning or relearning steps: those are minutes-long flashcard steps; our own learning
# phase does that job. No fuzzing, so a replay always gives the same dates.
SCHEDULER = Scheduler(
    desired_retention=0.85,
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=60,
    enable_fuzzing=False,
)
# Reviews are placed at noon UTC of their local day: FSRS then sees whole days between them,
# and fsrs requires tzinfo to be exactly datetime.UTC, i.e. timezone.utc (ZoneInfo("UTC") is
# refused).
REVIEW_HOUR_UTC = 12


@dataclass(frozen=True)
class Review:
    """One item on one local day: the best rating that day, its tempo and whether it was clean."""

    day: object  # datetime.date
    rating: int
    tempo_bpm: int | None = None  # the highest clean tempo that day, else the highest played
    clean: bool = False
    clean_at_target: bool = False


@dataclass(frozen=True)
class ReviewState:
    """Where an item stands: its phase, when it is due and what the reasons need."""

    phase: str
    due_on: object  # datetime.date, or None when the item was never practised (due now)
    interval_days: int | None  # the gap in force: the user's own, else the computed one
    computed_interval_days: int | None
    last_reviewed_on: object  # datetime.date or None
    review_count: int  # review days in the history
    last_rating: int | None  # the best rating of the last review day
    good_days: int  # good days so far in the current learning phase (0 or 1)
    card: dict | None  # the FSRS card as JSON-ready data, in maintenance only

    @property
    def never_practised(self):
        """Tell whether the item has no review at all."""
        return self.review_count == 0

    def is_due(self, today):
        """Tell whether the item is due on the local day today (never practised: it is)."""
        return self.due_on is None or self.due_on <= today


def daily_reviews(plays, target_bpm=None):
    """Fold plays into one Review per local day, oldest first, with each day's best rating."""
    by_day = {}
    for play in plays:
        by_day.setdefault(play.day, []).append(play)
    reviews = []
    for day in sorted(by_day):
        day_plays = by_day[day]
        clean_tempos = [p.tempo_bpm for p in day_plays if p.clean and p.tempo_bpm is not None]
        tempos = [p.tempo_bpm for p in day_plays if p.tempo_bpm is not None]
        tempo = max(clean_tempos) if clean_tempos else max(tempos, default=None)
        reviews.append(
            Review(
                day=day,
                rating=max(p.rating if p.rating is not None else UNRATED for p in day_plays),
                tempo_bpm=tempo,
                clean=bool(clean_tempos) or any(p.clean for p in day_plays),
                clean_at_target=bool(
                    target_bpm and clean_tempos and max(clean_tempos) >= target_bpm
                ),
            )
        )
    return reviews


def card_id(kind, item_id):
    """A stable FSRS card id for an item (fsrs would otherwise make one from the clock)."""
    return item_id * 10 + KINDS.index(kind) + 1


def review_datetime(day):
    """The aware UTC instant a review on the local day is given to FSRS."""
    return datetime(day.year, day.month, day.day, REVIEW_HOUR_UTC, tzinfo=UTC)


def _is_good_day(review):
    """Tell whether a review counts towards leaving the learning phase."""
    return review.rating >= GOOD_RATING or review.clean_at_target


def review_state(item, plays):
    """Replay an item's whole history of plays and return its ReviewState."""
    reviews = daily_reviews(plays, item.target_bpm)
    phase = LEARNING if item.starts_in_learning else MAINTENANCE
    good_days = 0
    card = None
    due_on = None
    for review in reviews:
        if phase == MAINTENANCE and review.rating == 1:
            # It fell apart: back to learning, and it has to earn its way out again.
            phase, good_days, card = LEARNING, 0, None
        if phase == LEARNING:
            good_days += _is_good_day(review)
            if good_days < GOOD_DAYS_TO_GRADUATE:
                gap = LEARNING_GAP_AFTER_POOR if review.rating <= POOR_RATING else LEARNING_GAP
                due_on = review.day + timedelta(days=gap)
                continue
            # The second good day is the first maintenance review.
            phase, good_days = MAINTENANCE, 0
        if card is None:
            card = Card(card_id=card_id(item.kind, item.id), due=review_datetime(review.day))
        # review_card step by step is what Scheduler.reschedule_card does over review logs;
        # stepping lets the phase changes above interleave with it.
        card, _ = SCHEDULER.review_card(
            card, FSRS_RATINGS[review.rating], review_datetime=review_datetime(review.day)
        )
        due_on = card.due.date()
    last = reviews[-1] if reviews else None
    computed = (due_on - last.day).days if last else None
    interval = item.interval_days or computed
    if last and item.interval_days:
        due_on = last.day + timedelta(days=item.interval_days)
    return ReviewState(
        phase=phase,
        due_on=due_on,
        interval_days=interval,
        computed_interval_days=computed,
        last_reviewed_on=last.day if last else None,
        review_count=len(reviews),
        last_rating=last.rating if last else None,
        good_days=good_days,
        card=card.to_dict() if card is not None and phase == MAINTENANCE else None,
    )
