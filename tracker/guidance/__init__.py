"""Practice guidance: when each item is due again, what to play next and why, and a timed plan.

Everything here is a pure function over plain data (the dataclasses in items.py); the queries
that fill them and the pages that show the results live elsewhere.

- items.py     what counts as an item, and which plays belong to it;
- schedule.py  an item's review state (learning phase, then FSRS maintenance), replayed from its
               whole history;
- tempo.py     the last clean tempo, the suggested tempo and the tempo plateau;
- score.py     the "Up next" score of one item and the reasons, in plain words, that moved it;
- up_next.py   the ranked "Up next" list: snoozed items out, "not now" lowered, instruments
               balanced;
- plan.py      "I have N minutes": the minutes split across the top of "Up next".
"""
