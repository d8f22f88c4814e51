"""Tempo: the last clean tempo, the tempo to try next time, and whether the tempo is stuck.

How it works, in plain words:
- Only plays with a tempo count; "clean" means you played it cleanly at that tempo.
- The last clean tempo is the tempo of the latest clean play.
- Next time, after a clean play, try the last clean tempo plus 10 %, but never more than 8 BPM
  more, and never past the target. The 10 % is rounded down to whole BPM, so the step never
  exceeds 10 %, and it is at least 1 BPM: 72 → 79, 96 → 104, 60 → 66.
- After a play that was not clean, stay at the last clean tempo: consolidate before going on.
- With no clean tempo yet, start at the item's start tempo when it has one; otherwise there is
  no suggestion (nothing true to say yet).
- The tempo is stuck when the last three clean tempos do not rise (each no faster than the one
  before) and are still under the target. It counts how many clean plays in a row it has been
  stuck, going back as far as the tempo has not risen.
"""

from dataclasses import dataclass

MAX_STEP_BPM = 8
STEP_PERCENT = 10
MIN_STEP_BPM = 1
PLATEAU_PLAYS = 3


@dataclass(frozen=True)
class Plateau:
    """A stuck tempo: the latest clean tempo, the target and how many clean plays it has lasted."""

    bpm: int
    target_bpm: int
    plays: int


@dataclass(frozen=True)
class TempoState:
    """An item's tempo figures for the reasons and the suggestion."""

    last_clean_bpm: int | None
    suggested_bpm: int | None
    target_bpm: int | None
    plateau: Plateau | None


def clean_tempos(plays):
    """The tempos of the clean plays, in the order played."""
    return [play.tempo_bpm for play in plays if play.clean and play.tempo_bpm is not None]


def last_clean_tempo(plays):
    """The tempo of the latest clean play, or None."""
    tempos = clean_tempos(plays)
    return tempos[-1] if tempos else None


def step_up(bpm):
    """The next tempo after a clean play at bpm: + min(8, 10 % rounded down), at least 1."""
    return bpm + max(MIN_STEP_BPM, min(MAX_STEP_BPM, bpm * STEP_PERCENT // 100))


def suggested_tempo(plays, target_bpm=None, start_bpm=None):
    """The tempo to try next time, or None when there is nothing to go on."""
    timed = [play for play in plays if play.tempo_bpm is not None]
    last_clean = last_clean_tempo(timed)
    if last_clean is None:
        suggestion = start_bpm
    elif timed[-1].clean:
        suggestion = step_up(last_clean)
    else:
        suggestion = last_clean
    if suggestion is not None and target_bpm is not None:
        suggestion = min(suggestion, target_bpm)
    return suggestion


def plateau(plays, target_bpm):
    """The Plateau when the last three clean tempos do not rise and are under target, else None."""
    tempos = clean_tempos(plays)
    if target_bpm is None:
        return None
    # Walk back from the latest clean tempo while each earlier one is no slower and still
    # under the target: that run is how long the tempo has not risen.
    run = 0
    while (
        run < len(tempos)
        and tempos[-run - 1] < target_bpm
        and (run == 0 or tempos[-run - 1] >= tempos[-run])
    ):
        run += 1
    if run < PLATEAU_PLAYS:
        return None
    return Plateau(bpm=tempos[-1], target_bpm=target_bpm, plays=run)


def tempo_state(item, plays):
    """Return the item's TempoState from its plays in the order played."""
    return TempoState(
        last_clean_bpm=last_clean_tempo(plays),
        suggested_bpm=suggested_tempo(plays, item.target_bpm, item.start_bpm),
        target_bpm=item.target_bpm,
        plateau=plateau(plays, item.target_bpm),
    )
