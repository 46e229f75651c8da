"""Self-checking exercises. Each lesson's checks live in ``mlpcore.course.exercises.lessonNN``.

A ``check_...`` function takes the student's answer, compares it with an independent
computation, and returns a :class:`Feedback`: a notebook shows it once under the cell, as

* ``✎ Your turn: ...`` while the answer is still ``...`` (not a failure);
* ``✗ <hint>`` for a wrong answer: the hint names the likely mistake and the equation to
  re-read, and never gives the solution's expression;
* ``✓ ...`` for a right one.

A Feedback is truthy only when the answer is right, so a notebook's solution cell writes
``assert check_...(answer)`` and nbval and the book build prove that the solution passes. A
check never raises and never prints, so "Run all" runs the whole lesson.

The derivation exercises (``ex-*-derive-*``) ask for a result the lesson does not state; their
checks compare the student's function with central differences on seeded random networks. The
worksheet of :mod:`.hand` carries one 2-2-1 network through lessons 2 to 5 in exact fractions.
"""

from ._feedback import Feedback, is_blank

__all__ = ["Feedback", "is_blank"]
