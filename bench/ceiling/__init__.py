"""The benchmark's ceiling: the site's settings and URLs plus one trivial view.

Used only by bench/wrk_ratios.sh (``DJANGO_SETTINGS_MODULE=bench.ceiling.settings``),
never by the site: production has no view that does nothing, and should not.
"""
