"""Reminders: recurrence rules, the scheduler's jobs and clock, e-mail and reminder queries."""
