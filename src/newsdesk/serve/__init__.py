"""The web app and JSON API over the store (``newsdesk serve``).

:func:`newsdesk.serve.app.create_app` builds the ASGI app; this package's other modules are the
pieces it is made of (pages, API, feeds, errors) and the read model the static site shares
(:mod:`newsdesk.serve.views`). Nothing heavy is imported here, so the static build and
``newsdesk story --format html`` do not load the web framework.
"""
