"""How the window writes numbers and dates: counts in the locale's format ("1,234,567", "1.234.567"), dates
in the style chosen in Preferences. Stored and exported values stay ISO and plain digits; only the screen
changes.

A system whose locale is C/POSIX (a container, a minimal install, LANG=C) has not chosen any number format,
and Qt's C locale leaves out the group separator: "1234567". The C locale's own separator is the comma, so
there the separators are simply switched on ("1,234,567", as the command line writes them) rather than a
foreign locale being assumed, which would also change month names and date order."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QDate, QLocale


def number_locale() -> QLocale:
    """The default locale (the system's unless the app set another), with group separators on for C."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale


def use_number_locale() -> None:
    """Make number_locale() the default, so Qt's own "%Ln" in translated plurals groups digits as well."""
    QLocale.setDefault(number_locale())


def count_text(count: int) -> str:
    """A count as the user's locale writes it: 1234567 -> "1,234,567" (en), "1.234.567" (de)."""
    return number_locale().toString(count)


class DateStyle(StrEnum):
    """How dates are shown (Preferences › Date format); the value is what the settings file keeps."""

    ISO = "iso"  # 2023-11-02
    LOCALE = "locale"  # the locale's short date with a four-digit year: 11/2/2023, 02.11.2023
    MEDIUM = "medium"  # 2 Nov 2023

    @property
    def label(self) -> str:
        example = date_text(dt.date(2023, 11, 2), self)
        names = {
            DateStyle.ISO: QCoreApplication.translate("DateStyle", "ISO 8601 ({0})"),
            DateStyle.LOCALE: QCoreApplication.translate("DateStyle", "The system's short format ({0})"),
            DateStyle.MEDIUM: QCoreApplication.translate("DateStyle", "Day, month name, year ({0})"),
        }
        return names[self].format(example)

    def qt_format(self) -> str:
        """The QDate format string of a whole day in this style."""
        if self is DateStyle.ISO:
            return "yyyy-MM-dd"
        if self is DateStyle.MEDIUM:
            return "d MMM yyyy"
        short = number_locale().dateFormat(QLocale.FormatType.ShortFormat)
        # two-digit years are ambiguous in a log that reaches back decades
        return short if "yyyy" in short else short.replace("yy", "yyyy")


def date_text(day: dt.date, style: DateStyle = DateStyle.ISO, precision: str = "day") -> str:
    """A date in ``style`` as far as its precision goes: a "month" date shows no day ("2023-10", "Oct 2023"),
    a "year" date only its year; "day" and "week" show the day."""
    if style is DateStyle.ISO:
        return {"year": f"{day.year}", "month": f"{day.year}-{day.month:02d}"}.get(precision, day.isoformat())
    qt_format = {"year": "yyyy", "month": "MMM yyyy"}.get(precision) or style.qt_format()
    return number_locale().toString(QDate(day.year, day.month, day.day), qt_format)
