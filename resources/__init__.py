"""Files the app ships with (icons, sample logbook, translations); installed as the package logbook.resources."""
