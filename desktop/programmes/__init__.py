"""Each programme's rules and workflows: plain Python over a db session, no Qt.

:data:`PROGRAMMES` is the one list of programmes: the registry (``desktop.registry``) loads each
package by its dotted name; nothing else names a programme.
"""

PROGRAMMES: tuple[str, ...] = (
    "desktop.programmes.workers",
    "desktop.programmes.organisations",
    "desktop.programmes.red_craftsman",
    "desktop.programmes.star_unions",
    "desktop.programmes.competitions",
    "desktop.programmes.honours",
    "desktop.programmes.help_desk",
    "desktop.programmes.mentoring",
    "desktop.programmes.disputes",
)
